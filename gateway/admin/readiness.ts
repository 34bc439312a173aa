// Whether the gateway takes new transfers now, and if not why: an object of
// its own that watches the spool disk on its own timer, read by the pipeline
// before every transfer and by the health report, rather than a flag the
// health report happened to leave behind when /healthz was last asked.

export interface ReadinessSources {
  /** Bytes free on the spool's disk. */
  spoolFree(): Promise<number>;
  minFreeDisk: number;
  /** Why the audit log takes no more records, or null. */
  auditFailure(): string | null;
  /** Why the queue takes no more writes, or null. */
  queueFailure?(): string | null;
  /** Why large uploads cannot be sealed into the spool (its thread died), or null. */
  sealFailure?(): string | null;
}

export interface DiskCheck {
  free: number | null;
  /** Why the free space could not be read, or null. */
  error: string | null;
  low: boolean;
}

export class Readiness {
  readonly #s: ReadinessSources;
  #disk: DiskCheck = { free: null, error: null, low: false };
  #stopping = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(s: ReadinessSources) {
    this.#s = s;
  }

  /** Reads the free space now; the last reading stays in force until the next. */
  async checkDisk(): Promise<DiskCheck> {
    try {
      const free = await this.#s.spoolFree();
      this.#disk = { free, error: null, low: free < this.#s.minFreeDisk };
    } catch (e) {
      this.#disk = { free: null, error: (e as Error).message, low: this.#disk.low };
    }
    return this.#disk;
  }

  /** Looks at the disk every `everyMs`, so uploads are refused before it fills. */
  start(everyMs = 5000): void {
    if (this.#timer || this.#stopping) return;
    this.#timer = setInterval(() => void this.checkDisk(), everyMs);
    this.#timer.unref();
  }

  /** The gateway is stopping: no new transfer is taken, and the timer ends. */
  stop(): void {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get disk(): DiskCheck {
    return this.#disk;
  }

  /** Why new transfers are refused now; empty when they are taken. */
  reasons(): string[] {
    const audit = this.#s.auditFailure();
    const queue = this.#s.queueFailure?.() ?? null;
    const seal = this.#s.sealFailure?.() ?? null;
    return [
      ...(this.#stopping ? ['the gateway is stopping'] : []),
      ...(this.#disk.low ? ['the spool disk is nearly full'] : []),
      ...(audit ? [audit] : []),
      ...(queue ? [queue] : []),
      ...(seal ? [seal] : []),
    ];
  }
}
