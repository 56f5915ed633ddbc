// The part of vega-embed that static/src/emotion_curve.js uses. The import is never fetched:
// emotion_curve.py has vl-convert bundle its own copy of Vega into the module (offline).
declare module "vega-embed" {
  export interface EmbedResult {
    view: unknown;
    finalize: () => void;
  }
  export default function vegaEmbed(
    el: HTMLElement,
    spec: object,
    options?: Record<string, unknown>,
  ): Promise<EmbedResult>;
}
