import type { AuditStore } from './audit/audit-store.js';
import type { Config } from './config/config.js';
import type { Db } from './db/database.js';
import type { LiveServices } from './hosts/live-services.js';
import type { NetworkService } from './networks/network-service.js';
import type { OsinfoService } from './osinfo/osinfo-service.js';
import type { StorageService } from './storage/storage-service.js';
import type { AuthService } from './security/auth-service.js';
import type { Clock } from './security/clock.js';
import type { LoginThrottle } from './security/login-throttle.js';
import type { SessionStore } from './security/session-store.js';
import type { TokenStore } from './security/token-store.js';
import type { UserService } from './users/user-service.js';
import type { UserStore } from './users/user-store.js';

/** Everything routes may call, built once by `buildApp`. Later capabilities (hosts, domains, events) add theirs. */
export interface Services extends LiveServices {
  config: Config;
  clock: Clock;
  db: Db;
  users: UserStore;
  userService: UserService;
  sessions: SessionStore;
  tokens: TokenStore;
  throttle: LoginThrottle;
  auth: AuthService;
  audit: AuditStore;
  storage: StorageService;
  networks: NetworkService;
  osinfo: OsinfoService;
}
