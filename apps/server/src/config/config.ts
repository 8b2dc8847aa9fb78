/** The server's configuration, validated: see `load.ts` for where each value comes from. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  libvirtUri: string;
  /** A certificate and key given by the operator; without them a self-signed pair is made in `dataDir/tls`. */
  tls: { certFile: string; keyFile: string } | null;
  /** Plain HTTP: allowed only on a loopback address (behind a local reverse proxy that terminates TLS). */
  insecureHttp: boolean;
  /** Password of the first-run `admin`; without it a one-time password is generated and printed. */
  adminPassword: string | null;
  /** The origin users reach (behind a reverse proxy), accepted by the Origin check. */
  publicOrigin: string | null;
  /** Addresses or CIDR ranges whose X-Forwarded-* headers are believed. */
  trustedProxies: string[];
  session: {
    /** A session unused this long ends. */
    idleTimeoutMs: number;
    /** A session ends this long after sign-in, however busy. */
    absoluteTimeoutMs: number;
  };
  login: {
    /** Sign-in attempts per source address per minute (the route limit; failures also back off). */
    attemptsPerMinute: number;
  };
  pam: {
    /** The PAM service pamtester authenticates against (`/etc/pam.d/<service>`, else `other`). */
    service: string;
    adminGroups: string[];
    operatorGroups: string[];
  };
  live: {
    /** One get-all-domain-stats call per host per interval (the stats tick and the metrics' resolution). */
    statsIntervalMs: number;
    /** Events sockets get a heartbeat and a ping this often; one that misses a ping is dropped at the next. */
    heartbeatMs: number;
  };
  media: {
    /** Directories whose ISO and disk-image files the create wizard offers besides the storage pools (not recursive). */
    isoDirs: string[];
  };
  /** Where Debian's osinfo-db lives (the OS list of the create wizard). */
  osinfoDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}
