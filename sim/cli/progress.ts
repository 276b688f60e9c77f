/**
 * A one-line progress bar on stderr, driven by simulate's onProgress callback:
 *   [2/8] county-capitation  [##########----------]  24/36 months  67%  3.1s
 * Redrawn in place (\r) at most every 100 ms; a disabled bar writes nothing.
 */
const WIDTH = 20;
let openLine: NodeJS.WriteStream | null = null;

/** Finish a progress line left open (e.g. when a run fails), so errors start on a fresh line. */
export function endProgressLine(): void {
  if (openLine) openLine.write("\n");
  openLine = null;
}

export class ProgressBar {
  private started = 0;
  private lastDraw = 0;
  private label = "";
  private unit = "months";

  constructor(
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Begin a scenario: `name`, and `[index/count]` when there are several; `unit` counts the steps. */
  start(name: string, index = 1, count = 1, unit = "months"): void {
    this.label = count > 1 ? `[${index}/${count}] ${name}` : name;
    this.unit = unit;
    this.started = performance.now();
    this.lastDraw = 0;
    this.draw(0, 0, true);
  }

  /** simulate's onProgress callback. */
  readonly update = (done: number, total: number): void => {
    this.draw(done, total, done >= total);
  };

  /**
   * A rendering-progress callback (sim/charts/render.ts RenderProgress) that draws one bar
   * per stage: "zh charts [####----] 3/8 charts", then "zh pdf … 2/4 steps".
   */
  stages(prefix = ""): (stage: string, done: number, total: number) => void {
    let current = "";
    return (stage, done, total) => {
      if (stage !== current) {
        if (current) this.finish();
        current = stage;
        this.start(prefix ? `${prefix} ${stage}` : stage, 1, 1, stage === "charts" ? "charts" : "steps");
      }
      this.update(done, total);
      if (done >= total) {
        this.finish();
        current = "";
      }
    };
  }

  /** End the line after a scenario finished. */
  finish(): void {
    if (!this.enabled) return;
    endProgressLine();
  }

  private draw(done: number, total: number, force: boolean): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * WIDTH);
    const months = total > 0 ? `${String(done).padStart(String(total).length)}/${total} ${this.unit}` : "starting";
    const elapsed = ((now - this.started) / 1000).toFixed(1);
    let line = `${this.label}  [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]  ${months}  ${String(Math.floor(frac * 100)).padStart(3)}%  ${elapsed}s`;
    const cols = this.stream.isTTY ? this.stream.columns : undefined;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    this.stream.write(`\r${line}${this.stream.isTTY ? "\x1b[K" : ""}`);
    openLine = this.stream;
  }
}
