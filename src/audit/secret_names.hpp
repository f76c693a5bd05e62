#pragma once
/// What looks like a secret, by name only: file names (private keys, .env files, tool
/// credentials) and environment variable names. Contents and values are never looked at.

#include <string_view>

namespace tarsier::audit {

/// Whether the file at `path` (normalised, no leading "/") has a name that usually holds
/// a secret: SSH private keys (id_rsa, id_dsa, id_ecdsa, id_ed25519 and ssh_host_*_key,
/// not their .pub), *.pem and *.key (except CA bundles and certificates: a base name with
/// "cert", "ca-bundle" or "chain", or under etc/ssl/certs or usr/share/ca-certificates),
/// *.p12, *.pfx, .env and .env.* (not .example, .sample, .template, .dist), .npmrc,
/// .netrc, .pgpass, .git-credentials, credentials* (not source code such as credentials.py),
/// .aws/credentials, .docker/config.json.
bool is_secret_file_name(std::string_view path);

/// Whether an environment variable name looks like it holds a secret. The name is split
/// into words at '_', '-' and '.' (case does not matter); it matches when a word contains
/// PASSWORD, PASSWD or SECRET, or is TOKEN(S), KEY(S), APIKEY, CREDENTIAL(S), or ends in
/// TOKEN or APIKEY/ACCESSKEY/PRIVATEKEY. A KEY word right after GPG, PGP or PUBLIC (public
/// key fingerprints), and names ending in _FILE (a path to a secret, not the secret) do not
/// match. So DB_PASSWORD, API_TOKEN, API_KEY, AWS_SECRET_ACCESS_KEY match; KEYBOARD_LAYOUT,
/// PATH, GPG_KEY, TOKENIZERS_PARALLELISM and POSTGRES_PASSWORD_FILE do not.
bool is_secret_env_name(std::string_view name);

/// Whether a config User runs as root: its user part (before ':') is empty, "0" or "root".
bool runs_as_root(std::string_view user);

}  // namespace tarsier::audit
