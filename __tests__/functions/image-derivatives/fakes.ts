import type { DerivativeEntry, ItemState } from "../../../functions/image-derivatives/core/plan";
import type {
  DerivativesDependencies,
  DerivativesStore,
  FinalOutcome,
  ItemWrite,
  RenditionBucket,
  SourceImages,
  SourceObjectRef,
  SourceRead,
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
  reads = 0;
  failNext = 0;
  /** Called at each current-version check (a test uploads a newer version here). */
  onCurrentVersionCheck?: (check: number) => void;
  private checks = 0;

  async currentVersion(_bucket: string, key: string): Promise<string | undefined> {
    this.onCurrentVersionCheck?.(++this.checks);
    const versions = [...this.objects.keys()].filter((k) => k.startsWith(`${key}#`));
    return versions.at(-1)?.slice(key.length + 1);
  }
  async read(ref: SourceObjectRef, maxBytes: number): Promise<SourceRead> {
    this.reads++;
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error("SlowDown"), { name: "SlowDown" });
    }
    const bytes = this.objects.get(`${ref.key}#${ref.versionId}`);
    if (!bytes) return { kind: "missing" };
    return bytes.length > maxBytes ? { kind: "too-large", size: bytes.length } : { kind: "read", bytes };
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
