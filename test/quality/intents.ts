import type { Intent } from './types.js';

/**
 * The suite: what a person asks for, and what the app must then do. Each
 * request names its controls the way a person would ("a button labelled
 * Start"), so the checks can find them by role and name, as a screen
 * reader would. Weighted toward accessibility and education terminals.
 */
export const intents: Intent[] = [
  // ── simple ──────────────────────────────────────────────────────────
  {
    id: 'counter',
    tier: 'simple',
    terminal: 'accessibility',
    intent: "a counter with a big plus button labelled 'Add one' that shows the count",
    checks: [
      { expectText: /\b0\b/ },
      { click: { role: 'button', name: 'Add one' }, times: 3 },
      { expectText: /\b3\b/ },
    ],
  },
  {
    id: 'timer',
    tier: 'simple',
    terminal: 'general',
    intent:
      "a countdown timer showing mm:ss, with preset buttons '1 min', '2 min', '5 min', '10 min', a 'Start' button and a 'Reset' button",
    checks: [
      { click: { role: 'button', name: '1 min' } },
      { expectText: '01:00' },
      { click: { role: 'button', name: 'Start' } },
      { expectText: /00:5\d/ },
      { click: { role: 'button', name: 'Reset' } },
      { expectText: '01:00' },
    ],
  },
  {
    id: 'unit-converter',
    tier: 'simple',
    terminal: 'education',
    intent:
      "a unit converter: type a length into a field labelled 'Centimetres' and it shows the length in inches",
    checks: [
      { fill: { label: /Centimetres/i }, value: '254' },
      { expectText: /\b100(\.0+)?\b/ },
      { fill: { label: /Centimetres/i }, value: '127' },
      { expectText: /\b50(\.0+)?\b/ },
    ],
  },
  {
    id: 'yes-no-tally',
    tier: 'simple',
    terminal: 'accessibility',
    intent: "two big buttons 'Yes' and 'No' that count answers, showing 'Yes: N' and 'No: N'",
    checks: [
      { click: { role: 'button', name: /^Yes$/i }, times: 2 },
      { click: { role: 'button', name: /^No$/i } },
      { expectText: /Yes: 2/ },
      { expectText: /No: 1/ },
    ],
  },
  {
    id: 'text-enlarger',
    tier: 'simple',
    terminal: 'accessibility',
    intent:
      "a text enlarger: a field labelled 'Text' whose words are shown below in very large letters, with 'Bigger' and 'Smaller' buttons",
    checks: [
      { fill: { label: /^Text/i }, value: 'hello there' },
      { expectText: 'hello there' },
      { click: { role: 'button', name: /Bigger/i } },
      { expectText: 'hello there' },
    ],
  },
  {
    id: 'times-table',
    tier: 'simple',
    terminal: 'education',
    intent:
      "a times table: a field labelled 'Number' and the table for it up to 10, written like '7 × 3 = 21'",
    checks: [
      { fill: { label: /Number/i }, value: '7' },
      { expectText: /7 [×x*] 3 = 21/ },
      { expectText: /7 [×x*] 10 = 70/ },
    ],
  },
  {
    id: 'dice',
    tier: 'simple',
    terminal: 'general',
    intent: "a dice roller: a 'Roll' button that shows 'You rolled N' with N from 1 to 6",
    checks: [{ click: { role: 'button', name: /Roll/i } }, { expectText: /You rolled [1-6]\b/ }],
  },
  {
    id: 'stopwatch',
    tier: 'simple',
    terminal: 'general',
    intent: "a stopwatch showing mm:ss with 'Start', 'Stop' and 'Reset' buttons",
    checks: [
      { expectText: '00:00' },
      { click: { role: 'button', name: /^Start$/i } },
      { expectText: '00:01' },
      { click: { role: 'button', name: /^Stop$/i } },
      { click: { role: 'button', name: /^Reset$/i } },
      { expectText: '00:00' },
    ],
  },
  {
    id: 'help-button',
    tier: 'simple',
    terminal: 'accessibility',
    intent: "one very large button 'Call for help' that, when pressed, shows 'Help is on the way'",
    checks: [
      { expectNoText: 'Help is on the way' },
      { click: { role: 'button', name: /Call for help/i } },
      { expectText: 'Help is on the way' },
    ],
  },
  {
    id: 'alphabet',
    tier: 'simple',
    terminal: 'education',
    intent: "an alphabet trainer showing 'Letter: A' with a 'Next letter' button that goes to B, C and so on",
    checks: [
      { expectText: 'Letter: A' },
      { click: { role: 'button', name: /Next letter/i }, times: 2 },
      { expectText: 'Letter: C' },
    ],
  },
  {
    id: 'temperature',
    tier: 'simple',
    terminal: 'education',
    intent:
      "a temperature converter: a field labelled 'Celsius' and the temperature in Fahrenheit shown below",
    checks: [
      { fill: { label: /Celsius/i }, value: '100' },
      { expectText: /\b212\b/ },
      { fill: { label: /Celsius/i }, value: '0' },
      { expectText: /\b32\b/ },
    ],
  },
  {
    id: 'water-glasses',
    tier: 'simple',
    terminal: 'accessibility',
    intent:
      "a water reminder: a big button 'I drank a glass', the text 'Glasses today: N' and a 'Reset' button",
    checks: [
      { click: { role: 'button', name: /I drank a glass/i }, times: 2 },
      { expectText: 'Glasses today: 2' },
      { click: { role: 'button', name: /^Reset$/i } },
      { expectText: 'Glasses today: 0' },
    ],
  },
  // ── medium ──────────────────────────────────────────────────────────
  {
    id: 'todo-filters',
    tier: 'medium',
    terminal: 'general',
    intent:
      "a to-do list: a field labelled 'New task', an 'Urgent' tick box and an 'Add' button; each task has a tick box; filters 'All', 'To do', 'Done', 'Urgent'; shows 'N of M left'",
    checks: [
      { fill: { label: 'New task' }, value: 'Buy milk' },
      { click: { role: 'button', name: /^Add$/ } },
      { fill: { label: 'New task' }, value: 'Call Ana' },
      { click: { role: 'button', name: /^Add$/ } },
      { expectText: '2 of 2 left' },
      { check: { role: 'checkbox', name: 'Buy milk' } },
      { expectText: '1 of 2 left' },
      { click: { role: 'button', name: /^To do$/ } },
      { expectNoText: 'Buy milk' },
      { click: { role: 'button', name: /^Done$/ } },
      { expectText: 'Buy milk' },
      { expectNoText: 'Call Ana' },
    ],
  },
  {
    id: 'flash-cards',
    tier: 'medium',
    terminal: 'education',
    intent:
      "French flash cards: a card shows a French word (the first is 'chat'); 'Show answer' reveals the English word ('cat'); 'Next card' goes on; a count 'Card N of M'",
    checks: [
      { expectText: /\bchat\b/ },
      { expectNoText: /\bcat\b/ },
      { expectText: /Card 1 of \d+/ },
      { click: { role: 'button', name: /Show answer/i } },
      { expectText: /\bcat\b/ },
      { click: { role: 'button', name: /Next card/i } },
      { expectText: /Card 2 of \d+/ },
      { expectNoText: /\bcat\b/ },
    ],
  },
  {
    id: 'capitals-quiz',
    tier: 'medium',
    terminal: 'education',
    intent:
      "a capitals quiz; the first question is 'What is the capital of France?' with answer buttons 'Paris', 'London', 'Rome'; it says 'Correct!' or 'Wrong' and keeps 'Score: N'",
    checks: [
      { expectText: 'What is the capital of France?' },
      { click: { role: 'button', name: /^Paris$/ } },
      { expectText: 'Correct!' },
      { expectText: 'Score: 1' },
    ],
  },
  {
    id: 'spelling',
    tier: 'medium',
    terminal: 'education',
    intent:
      "spelling practice: the first word to spell is 'because', shown with its letters hidden; type into a field labelled 'Your spelling' and press 'Check'; it says 'Correct' or 'Try again'",
    checks: [
      { fill: { label: /Your spelling/i }, value: 'becuase' },
      { click: { role: 'button', name: /^Check$/i } },
      { expectText: 'Try again' },
      { fill: { label: /Your spelling/i }, value: 'because' },
      { click: { role: 'button', name: /^Check$/i } },
      { expectText: 'Correct' },
    ],
  },
  {
    id: 'shopping-list',
    tier: 'medium',
    terminal: 'accessibility',
    intent:
      "a shopping list with large text: a field labelled 'Item' and an 'Add' button; each item has a button 'Remove <item>'",
    checks: [
      { fill: { label: /^Item/i }, value: 'Bread' },
      { click: { role: 'button', name: /^Add$/i } },
      { expectText: 'Bread' },
      { click: { role: 'button', name: /Remove Bread/i } },
      { expectNoText: 'Bread' },
    ],
  },
  {
    id: 'medication',
    tier: 'medium',
    terminal: 'accessibility',
    intent:
      "a medication checklist with tick boxes labelled 'Morning pill', 'Noon pill' and 'Evening pill' and the text 'N of 3 taken'",
    checks: [
      { expectText: '0 of 3 taken' },
      { check: { label: /Morning pill/i } },
      { expectText: '1 of 3 taken' },
      { check: { label: /Evening pill/i } },
      { expectText: '2 of 3 taken' },
    ],
  },
  {
    id: 'vocabulary',
    tier: 'medium',
    terminal: 'education',
    intent:
      "a vocabulary notebook: fields 'Word' and 'Meaning', an 'Add word' button, the list of words with their meanings and 'N words'",
    checks: [
      { fill: { label: /^Word/i }, value: 'gato' },
      { fill: { label: /Meaning/i }, value: 'cat' },
      { click: { role: 'button', name: /Add word/i } },
      { expectText: 'gato' },
      { expectText: /1 word/ },
    ],
  },
  {
    id: 'mood',
    tier: 'medium',
    terminal: 'accessibility',
    intent: "a mood check-in: big buttons 'Happy', 'Okay' and 'Sad'; pressing one shows 'Today: <mood>'",
    checks: [{ click: { role: 'button', name: /^Happy$/i } }, { expectText: 'Today: Happy' }],
  },
  {
    id: 'counting-game',
    tier: 'medium',
    terminal: 'education',
    intent:
      "a counting game for small children: the first round shows 3 stars and number buttons '1' to '5'; the right answer shows 'Well done', a wrong one 'Try again'",
    checks: [
      { click: { role: 'button', name: /^2$/ } },
      { expectText: 'Try again' },
      { click: { role: 'button', name: /^3$/ } },
      { expectText: 'Well done' },
    ],
  },
  {
    id: 'keypad',
    tier: 'medium',
    terminal: 'accessibility',
    intent: "a large phone keypad: buttons '0' to '9' and 'Delete', and the number typed so far shown on top",
    checks: [
      { click: { role: 'button', name: /^1$/ } },
      { click: { role: 'button', name: /^2$/ } },
      { click: { role: 'button', name: /^3$/ } },
      { expectText: '123' },
      { click: { role: 'button', name: /Delete/i } },
      { expectNoText: '123' },
      { expectText: '12' },
    ],
  },
  {
    id: 'scoreboard',
    tier: 'medium',
    terminal: 'general',
    intent:
      "a scoreboard for two teams: buttons 'Team A +1' and 'Team B +1', showing 'Team A: N' and 'Team B: N'",
    checks: [
      { click: { role: 'button', name: /Team A \+1/ }, times: 2 },
      { click: { role: 'button', name: /Team B \+1/ } },
      { expectText: 'Team A: 2' },
      { expectText: 'Team B: 1' },
    ],
  },
  // ── complex ─────────────────────────────────────────────────────────
  {
    id: 'expense-charts',
    tier: 'complex',
    terminal: 'general',
    intent:
      "an expense tracker: fields 'Amount', 'Category' (a list: Food, Transport, Home, Fun, Other), 'Date' and 'Note', an 'Add expense' button, the month's total, a pie chart by category (an image named 'Spending by category') and a bar chart by day",
    checks: [
      { fill: { label: 'Amount' }, value: '12.5' },
      { select: { label: 'Category' }, option: 'Transport' },
      { fill: { label: 'Note' }, value: 'Bus pass' },
      { click: { role: 'button', name: /Add expense/i } },
      { expectText: 'Bus pass' },
      { expectText: /12[.,]50/ },
      { expectCount: { role: 'img', name: /Spending by category/i }, count: 1 },
      { fill: { label: 'Amount' }, value: '7.5' },
      { click: { role: 'button', name: /Add expense/i } },
      { expectText: /20[.,]00/ },
    ],
  },
  {
    id: 'timetable',
    tier: 'complex',
    terminal: 'education',
    intent:
      "a weekly school timetable planner: a 'Day' list (Monday to Friday), fields 'Lesson' and 'Time', an 'Add lesson' button; lessons are listed under their day in time order",
    checks: [
      { select: { label: /^Day/i }, option: 'Tuesday' },
      { fill: { label: /Lesson/i }, value: 'Maths' },
      { fill: { label: /Time/i }, value: '10:00' },
      { click: { role: 'button', name: /Add lesson/i } },
      { fill: { label: /Lesson/i }, value: 'Art' },
      { fill: { label: /Time/i }, value: '09:00' },
      { click: { role: 'button', name: /Add lesson/i } },
      { expectText: /Tuesday.*09:00.*Art.*10:00.*Maths|Tuesday.*Art.*09:00.*Maths.*10:00/ },
    ],
  },
  {
    id: 'reading-tutor',
    tier: 'complex',
    terminal: 'education',
    intent:
      "a reading tutor for the sentence 'The cat sat on the mat': it highlights one word at a time, 'Next word' moves on, 'Start again' goes back, and it shows 'Word N of 6'",
    checks: [
      { expectText: 'Word 1 of 6' },
      { click: { role: 'button', name: /Next word/i }, times: 2 },
      { expectText: 'Word 3 of 6' },
      { click: { role: 'button', name: /Start again/i } },
      { expectText: 'Word 1 of 6' },
    ],
  },
  {
    id: 'quiz-maker',
    tier: 'complex',
    terminal: 'education',
    intent:
      "a quiz maker: fields 'Question' and 'Answer' with an 'Add question' button; 'Start quiz' then asks each question, with a field 'Your answer' and a 'Check' button that says 'Correct' or 'Wrong'",
    checks: [
      { fill: { label: /^Question/i }, value: 'What is 2 + 2?' },
      { fill: { label: /^Answer/i }, value: '4' },
      { click: { role: 'button', name: /Add question/i } },
      { click: { role: 'button', name: /Start quiz/i } },
      { expectText: 'What is 2 + 2?' },
      { fill: { label: /Your answer/i }, value: '4' },
      { click: { role: 'button', name: /^Check$/i } },
      { expectText: 'Correct' },
    ],
  },
  {
    id: 'communication-board',
    tier: 'complex',
    terminal: 'accessibility',
    intent:
      "a communication board (AAC): big buttons 'I want', 'Drink', 'Food', 'Help', 'Yes', 'No'; each press adds its word to a sentence strip shown as 'Sentence: …'; 'Clear' empties it",
    checks: [
      { click: { role: 'button', name: /^I want$/i } },
      { click: { role: 'button', name: /^Drink$/i } },
      { expectText: /Sentence: I want drink/i },
      { click: { role: 'button', name: /^Clear$/i } },
      { expectNoText: /Sentence: I want/i },
    ],
  },
  {
    id: 'grade-book',
    tier: 'complex',
    terminal: 'education',
    intent:
      "a grade book: fields 'Student' and 'Mark', an 'Add mark' button, the list of marks, 'Average: N' and a bar chart (an image named 'Marks chart')",
    checks: [
      { fill: { label: /Student/i }, value: 'Ana' },
      { fill: { label: /^Mark/i }, value: '8' },
      { click: { role: 'button', name: /Add mark/i } },
      { fill: { label: /Student/i }, value: 'Ben' },
      { fill: { label: /^Mark/i }, value: '6' },
      { click: { role: 'button', name: /Add mark/i } },
      { expectText: /Average: 7\b/ },
      { expectCount: { role: 'img', name: /Marks chart/i }, count: 1 },
    ],
  },
  {
    id: 'habit-tracker',
    tier: 'complex',
    terminal: 'accessibility',
    intent:
      "a habit tracker: a field 'Habit' and an 'Add habit' button; each habit is a row of tick boxes labelled '<habit> on Monday' … '<habit> on Sunday' and shows '<habit>: N this week'",
    checks: [
      { fill: { label: /^Habit/i }, value: 'Walk' },
      { click: { role: 'button', name: /Add habit/i } },
      { check: { label: /Walk on Monday/i } },
      { check: { label: /Walk on Friday/i } },
      { expectText: 'Walk: 2 this week' },
    ],
  },
  {
    id: 'maths-practice',
    tier: 'complex',
    terminal: 'education',
    intent:
      "maths practice in 5 questions: the first is 'What is 2 + 3?'; a field 'Answer' and a 'Check' button; it says 'Correct' or 'Wrong', shows 'Question N of 5' and 'Score: N', and ends with the score",
    checks: [
      { expectText: 'Question 1 of 5' },
      { expectText: 'What is 2 + 3?' },
      { fill: { label: /^Answer/i }, value: '5' },
      { click: { role: 'button', name: /^Check$/i } },
      { expectText: 'Correct' },
      { expectText: 'Score: 1' },
    ],
  },
  {
    id: 'recipe-scaler',
    tier: 'complex',
    terminal: 'general',
    intent:
      "a pancake recipe for 2 people (200 g flour, 2 eggs, 300 ml milk) with a field 'People' that scales every amount",
    checks: [
      { expectText: '200 g flour' },
      { fill: { label: /People/i }, value: '4' },
      { expectText: '400 g flour' },
      { expectText: '600 ml milk' },
    ],
  },
];
