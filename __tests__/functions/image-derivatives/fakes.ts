import type { DerivativeEntry, ItemState } from "../../../functions/image-derivatives/core/plan";
import type {
  DerivativesDependencies,
  DerivativesStore,
  FinalOutcome,
  ItemWrite,
  RenditionBucket,
  CurrentRead,
  SourceImages,
} from "../../../functions/image-derivatives/ports";

type Item = ItemState & { DerivativesStatus?: string; DerivativesReason?: string };

/** In-memory stand-ins of the adapters, with the same conditions (on the item's sequencer). */
export class FakeStore implements DerivativesStore {
  readonly items = new Map<string, Item>();
  async get(imageId: string) {
    const item = this.items.get(imageId);
    return item && structuredClone(item);
  }
  async recordDerivatives(imageId: string, sequencer: string, entries: Readonly<Record<string, DerivativeEntry>>): Promise<ItemWrite> {
    const item = this.items.get(imageId);
    if (!item || item.Sequencer !== sequencer || item.Status !== "processed") return "stale";
    this.items.set(imageId, {
      ...item,
      Derivatives: { ...item.Derivatives, ...entries },
      DerivativesStatus: "written",
      DerivativesReason: undefined,
    });
    return "written";
  }
  async recordFailure(imageId: string, sequencer: string, outcome: FinalOutcome, reason: string): Promise<ItemWrite> {
    const item = this.items.get(imageId);
    if (!item || item.Sequencer !== sequencer) return "stale";
    this.items.set(imageId, { ...item, DerivativesStatus: outcome, DerivativesReason: reason });
    return "written";
  }
}

export class FakeImages implements SourceImages {
  /** By `<key>#<version id>`; a key's current version is the one set last. */
  readonly objects = new Map<string, Uint8Array>();
  /** GETs of a key's current version, and the bodies of them read (wanted, and within the limit). */
  gets = 0;
  reads = 0;
  /** HeadObjects of a key's current version (the checks after the writes, and after a deletion). */
  heads = 0;
  failNext = 0;
  /** Called at each current-version check, a GET's or a HeadObject's (a test uploads a newer version here). */
  onCurrentVersionCheck?: (check: number) => void;
  private checks = 0;

  async currentVersion(_bucket: string, key: string): Promise<string | undefined> {
    this.heads++;
    return this.current(key);
  }

  async readCurrent(_bucket: string, key: string, maxBytes: number, wanted: (current: string) => Promise<boolean>): Promise<CurrentRead> {
    this.gets++;
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error("SlowDown"), { name: "SlowDown" });
    }
    const current = this.current(key);
    if (current === undefined || !(await wanted(current))) return { current };
    const bytes = this.objects.get(`${key}#${current}`)!;
    if (bytes.length > maxBytes) return { current, source: { kind: "too-large", size: bytes.length } };
    this.reads++;
    return { current, source: { kind: "read", bytes } };
  }

  private current(key: string) {
    this.onCurrentVersionCheck?.(++this.checks);
    const versions = [...this.objects.keys()].filter((k) => k.startsWith(`${key}#`));
    return versions.at(-1)?.slice(key.length + 1);
  }
}

export class FakeBucket implements RenditionBucket {
  readonly puts: { key: string; bytes: Uint8Array; contentType: string }[] = [];
  readonly deletes: string[] = [];
  async put(key: string, bytes: Uint8Array, contentType: string) {
    this.puts.push({ key, bytes, contentType });
  }
  async delete(key: string) {
    this.deletes.push(key);
  }
}

export const fakeDependencies = () => {
  const deps = { images: new FakeImages(), renditions: new FakeBucket(), store: new FakeStore() };
  return deps satisfies DerivativesDependencies;
};
