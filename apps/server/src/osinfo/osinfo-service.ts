import type { OsVariantList } from '@vireo/api';
import type { OsinfoDb } from './osinfo-db.js';

/**
 * The OS list, read once on first use (not at start-up: most server runs never open the wizard) and kept as the
 * compact list only. Concurrent first requests share one read; a failed read is tried again next time.
 */
export class OsinfoService {
  private loading: Promise<OsinfoDb> | undefined;

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  private db(): Promise<OsinfoDb> {
    if (!this.loading) {
      // The parser (fast-xml-parser) is loaded with the database, not at start-up.
      const loading = import('./osinfo-db.js').then(({ loadOsinfoDb }) => loadOsinfoDb(this.dir, this.now()));
      this.loading = loading;
      loading.catch(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    }
    return this.loading;
  }

  async list(includeEol: boolean): Promise<OsVariantList> {
    const db = await this.db();
    return { os: includeEol ? db.os : db.os.filter((o) => !o.eol), source: db.source };
  }
}
