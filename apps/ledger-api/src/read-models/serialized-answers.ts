/**
 * The JSON body of a cached answer, kept beside it: a polled attendance (32 KB with its
 * discrepancies) is then serialised once per read-model state, not once per request.
 * Keyed by the answer object itself, which the read handler hands out unchanged while the
 * state stands; a new state brings a new object, and the old body goes with the old one.
 */
export class SerializedAnswers {
  private readonly bodies = new WeakMap<object, { asOfPosition: number; body: string }>();

  json(answer: object, asOfPosition: number): string {
    const kept = this.bodies.get(answer);
    if (kept?.asOfPosition === asOfPosition) return kept.body;
    const body = JSON.stringify({ ...answer, asOfPosition });
    this.bodies.set(answer, { asOfPosition, body });
    return body;
  }
}
