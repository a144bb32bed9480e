// Parses DATABASE_URL with Electric's rules (Electric.Config.parse_postgresql_uri): postgres(ql):// only, a user is
// required, the database defaults to the user and the port to 5432, and the only query option allowed is sslmode.

export const allowedSslModes = ['disable', 'allow', 'prefer', 'require'] as const;
export type UrlSslMode = (typeof allowedSslModes)[number];

export interface DatabaseUrl {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  readonly database: string;
  readonly sslmode: UrlSslMode | undefined;
}

export type ParsedDatabaseUrl = { readonly ok: true; readonly value: DatabaseUrl } | { readonly ok: false; readonly problem: string };

export function parseDatabaseUrl(raw: string): ParsedDatabaseUrl {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: 'is not a valid URI' };
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return { ok: false, problem: `has scheme "${url.protocol.slice(0, -1)}": use postgres:// or postgresql://` };
  }
  if (!url.hostname) return { ok: false, problem: 'has no host' };
  if (!url.username) return { ok: false, problem: 'has no user name: put it before the host, as in postgresql://USER@HOST/DB' };

  let sslmode: UrlSslMode | undefined;
  for (const [key, value] of url.searchParams) {
    if (key === 'sslmode') {
      if (value === 'verify-ca' || value === 'verify-full') {
        return {
          ok: false,
          problem: `has sslmode=${value}, which is not supported. Consider using DATABASE_REQUIRE_SSL=true instead`,
        };
      }
      if (!(allowedSslModes as readonly string[]).includes(value)) {
        return { ok: false, problem: `has sslmode=${value}: use one of ${allowedSslModes.join(', ')}` };
      }
      sslmode = value as UrlSslMode;
    } else if (key === 'replication') {
      return { ok: false, problem: 'has the "replication" option: remove it, the service opens its replication connections itself' };
    } else {
      return { ok: false, problem: `has the unsupported query option "${key}": the only option allowed is sslmode` };
    }
  }

  const port = url.port === '' ? 5432 : Number(url.port);
  const user = decodeURIComponent(url.username);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  return {
    ok: true,
    value: {
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port,
      user,
      password: url.password === '' ? undefined : decodeURIComponent(url.password),
      database: path === '' ? user : path,
      sslmode,
    },
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.password) url.password = '*****';
    return url.toString();
  } catch {
    // Not a URL, so we cannot tell where a password would be: hide everything after the scheme.
    const scheme = /^[a-z]+:\/\//i.exec(raw)?.[0] ?? '';
    return `${scheme}*****`;
  }
}
