import type { FrameLocator, Locator } from 'playwright-core';
import type { Step, Target } from './types.js';

/** How long one step waits for what it looks for. */
const STEP_TIMEOUT_MS = 3000;

function locate(frame: FrameLocator, target: Target): Locator {
  if ('role' in target)
    return frame.getByRole(target.role, target.name === undefined ? {} : { name: target.name });
  if ('label' in target) return frame.getByLabel(target.label);
  return frame.getByText(target.text);
}

async function bodyText(frame: FrameLocator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what a person sees; textContent would include hidden text
  return (await frame.locator('body').innerText({ timeout: STEP_TIMEOUT_MS })).replace(/\s+/g, ' ');
}

const matches = (text: string, wanted: string | RegExp) =>
  typeof wanted === 'string' ? text.includes(wanted) : wanted.test(text);

/** Polls until the condition holds or the step's time is up. */
async function until(condition: () => Promise<boolean>, failure: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(await failure());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs one acceptance step against the app's frame; throws with plain words when the app does not do it. */
export async function runStep(frame: FrameLocator, step: Step): Promise<void> {
  const options = { timeout: STEP_TIMEOUT_MS };
  if ('click' in step) {
    const target = locate(frame, step.click).first();
    for (let i = 0; i < (step.times ?? 1); i++) await target.click(options);
  } else if ('fill' in step) await locate(frame, step.fill).first().fill(step.value, options);
  else if ('press' in step) await locate(frame, step.press).first().press(step.key, options);
  else if ('check' in step) await locate(frame, step.check).first().check(options);
  else if ('select' in step)
    await locate(frame, step.select).first().selectOption({ label: step.option }, options);
  else if ('expectText' in step) {
    const wanted = step.expectText;
    await until(
      async () => matches(await bodyText(frame), wanted),
      async () =>
        `expected to see ${String(wanted)}; the app shows "${(await bodyText(frame).catch(() => '')).slice(0, 200)}"`,
    );
  } else if ('expectNoText' in step) {
    const unwanted = step.expectNoText;
    await until(
      async () => !matches(await bodyText(frame), unwanted),
      async () => `expected ${String(unwanted)} to be gone, but the app still shows it`,
    );
  } else if ('expectCount' in step) {
    const target = locate(frame, step.expectCount);
    await until(
      async () => (await target.count()) === step.count,
      async () => `expected ${step.count} of ${describe(step.expectCount)}, found ${await target.count()}`,
    );
  } else await new Promise((resolve) => setTimeout(resolve, step.wait));
}

/** A step in words, for reports and for the repair the harness asks for. */
export function describeStep(step: Step): string {
  if ('click' in step) return `click ${describe(step.click)}${step.times ? ` ${step.times} times` : ''}`;
  if ('fill' in step) return `type "${step.value}" into ${describe(step.fill)}`;
  if ('press' in step) return `press ${step.key} in ${describe(step.press)}`;
  if ('check' in step) return `tick ${describe(step.check)}`;
  if ('select' in step) return `choose "${step.option}" in ${describe(step.select)}`;
  if ('expectText' in step) return `see ${String(step.expectText)}`;
  if ('expectNoText' in step) return `no longer see ${String(step.expectNoText)}`;
  if ('expectCount' in step) return `see ${step.count} of ${describe(step.expectCount)}`;
  return `wait ${step.wait} ms`;
}

function describe(target: Target): string {
  if ('role' in target)
    return `the ${target.role}${target.name === undefined ? '' : ` named ${String(target.name)}`}`;
  if ('label' in target) return `the field labelled ${String(target.label)}`;
  return `the text ${String(target.text)}`;
}
