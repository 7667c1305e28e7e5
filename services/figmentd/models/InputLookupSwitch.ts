import {
  InputLookupTokenPredictor,
  type LlamaContextSequence,
  type SequenceEvaluateOptions,
  type Token,
  TokenPredictor,
} from 'node-llama-cpp';

/**
 * Prompt-lookup decoding that can be turned on per request. A sequence's
 * token predictor is fixed when the sequence is made, but only edits (whose
 * output repeats the input) gain from it; on other requests its refuted
 * guesses would cost batch evaluations. Switched off, it predicts nothing and
 * generation takes the ordinary path's cost.
 */
export class InputLookupSwitch extends TokenPredictor {
  /** Whether predictions are made for the coming request. */
  enabled = false;
  private readonly lookup = new InputLookupTokenPredictor();

  reset(params: {
    targetSequence: LlamaContextSequence;
    stateTokens: Token[];
    evaluateOptions: Readonly<SequenceEvaluateOptions>;
  }): void {
    this.lookup.reset(params);
  }

  pushTokens(tokens: Token[]): void {
    this.lookup.pushTokens(tokens);
  }

  predictTokens(): Token[] {
    return this.enabled ? this.lookup.predictTokens() : [];
  }

  override updateInputTokens(tokens: Token[]): void {
    this.lookup.updateInputTokens(tokens);
  }

  override dispose(): void {
    this.lookup.dispose();
  }
}
