"""WooCommerce's REST authentication, as class-wc-rest-authentication.php does it.

- Over https: HTTP Basic (or consumer_key/consumer_secret query parameters) first; an unknown
  key falls through silently, a known key with a wrong secret is "Consumer secret is invalid.".
- Then OAuth 1.0a "one-legged" from the query string (or an `Authorization: OAuth` header):
  the signature is HMAC-SHA1/SHA256, keyed with `consumer_secret + "&"`, over
  `METHOD&rawurlencode(home_url + path)&` + the sorted parameters, each `key=value` pair
  rawurlencoded twice and joined with %26; timestamps must be within 15 minutes and nonces
  are single-use per key.
- No credentials at all is no error here: the endpoint's own permission check refuses later.
- A key's permissions (read, write, read_write) are checked per HTTP method.
"""
import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

OAUTH_PARAMS = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method")
VALID_WINDOW = 15 * 60


class AuthError(Exception):
    """Maps to a 401 with WooCommerce's code and message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"
    nonces: dict = field(default_factory=dict)  # timestamp → nonce, as WooCommerce stores them


def rawurlencode(value):
    """PHP's rawurlencode: everything but A-Z a-z 0-9 - _ . ~ is %-encoded (UTF-8)."""
    return quote(str(value), safe="~")


def _rfc3986(value):
    # wc_rest_urlencode_rfc3986: rawurlencode, then '+' → ' ' and '%7E' → '~' (both no-ops after rawurlencode).
    return rawurlencode(value).replace("+", " ").replace("%7E", "~")


def signature_base(method, base_url, params):
    """The string WooCommerce signs: METHOD & encoded URL & the encoded, sorted parameter pairs."""
    pairs = []
    for key in sorted(params):  # uksort(..., 'strcmp'): byte order
        pairs.append(_rfc3986(f"{_rfc3986(key)}={_rfc3986(params[key])}"))
    return f"{method.upper()}&{rawurlencode(base_url)}&" + "%26".join(pairs)


def sign(method, base_url, params, consumer_secret, signature_method="HMAC-SHA256"):
    """The base64 signature WooCommerce expects for these parameters."""
    digest = hashlib.sha256 if signature_method == "HMAC-SHA256" else hashlib.sha1
    message = signature_base(method, base_url, params).encode("utf-8")
    return base64.b64encode(hmac.new(f"{consumer_secret}&".encode("utf-8"), message, digest).digest()).decode()


def parse_oauth_header(header):
    """Parameters from `Authorization: OAuth k="v", ...` (WooCommerce's parse_header)."""
    if not header.startswith("OAuth "):
        return {}
    found = re.findall(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))', header)
    return {name: unquote((quoted or bare).replace("+", " ")) for name, _, quoted, bare in found}


class Authenticator:
    """Decides who a request is, given its method, URL parts and headers."""

    def __init__(self, home_url, keys, clock=time.time):
        self.home_url, self.keys, self.clock = home_url.rstrip("/"), keys, clock

    def authenticate(self, method, path, query, headers, is_ssl, basic=None):
        """Returns (ApiKey or None, auth method); raises AuthError as WooCommerce would answer 401."""
        if is_ssl:
            key = self._basic(query, basic)
            if key is not None:
                return key, "basic_auth"
        return self._oauth(method, path, query, headers, is_ssl), "oauth1"

    def check_permissions(self, key, method):
        """The key's read/write permission for this HTTP method (check_permissions in PHP)."""
        if method in ("HEAD", "GET") and key.permissions not in ("read", "read_write"):
            raise AuthError("woocommerce_rest_authentication_error",
                            "The API key provided does not have read permissions.")
        if method in ("POST", "PUT", "PATCH", "DELETE") and key.permissions not in ("write", "read_write"):
            raise AuthError("woocommerce_rest_authentication_error",
                            "The API key provided does not have write permissions.")

    def _basic(self, query, basic):
        consumer_key, consumer_secret = query.get("consumer_key"), query.get("consumer_secret")
        if not (consumer_key and consumer_secret) and basic:
            consumer_key, consumer_secret = basic
        if not consumer_key or not consumer_secret:
            return None
        key = self.keys.get(consumer_key)
        if key is None:
            return None  # WooCommerce falls through to OAuth without an error
        if not hmac.compare_digest(key.consumer_secret, consumer_secret):
            raise AuthError("woocommerce_rest_authentication_error", "Consumer secret is invalid.")
        return key

    def _oauth(self, method, path, query, headers, is_ssl):
        params = dict(query)
        params.update(parse_oauth_header(headers.get("Authorization", "").strip()))
        missing = [name for name in OAUTH_PARAMS if not params.get(name)]
        if len(missing) == len(OAUTH_PARAMS):
            return None  # not even trying OAuth
        if missing:
            label = "Missing OAuth parameter" if len(missing) == 1 else "Missing OAuth parameters"
            raise AuthError("woocommerce_rest_authentication_missing_parameter", f"{label} {', '.join(missing)}")
        key = self.keys.get(params["oauth_consumer_key"])
        if key is None:
            raise AuthError("woocommerce_rest_authentication_error", "Consumer key is invalid.")
        self._check_signature(key, method, path, params, is_ssl)
        self._check_timestamp_and_nonce(key, params["oauth_timestamp"], params["oauth_nonce"])
        return key

    def _check_signature(self, key, method, path, params, is_ssl):
        provided = unquote(params.pop("oauth_signature").replace(" ", "+"))
        signature_method = params.get("oauth_signature_method")
        if signature_method not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise AuthError("woocommerce_rest_authentication_error",
                            "Invalid signature - signature method is invalid.")
        scheme_home = re.sub(r"^https?:", "https:" if is_ssl else "http:", self.home_url)
        base_url = f"{scheme_home}/{path.lstrip('/')}"
        expected = sign(method, base_url, params, key.consumer_secret, signature_method)
        if not hmac.compare_digest(expected, provided):
            raise AuthError("woocommerce_rest_authentication_error",
                            "Invalid signature - provided signature does not match.")

    def _check_timestamp_and_nonce(self, key, timestamp, nonce):
        now = self.clock()
        try:
            moment = int(timestamp)
        except ValueError:
            moment = 0
        if moment < now - VALID_WINDOW or moment > now + VALID_WINDOW:
            raise AuthError("woocommerce_rest_authentication_error", "Invalid timestamp.")
        if nonce in key.nonces.values():
            raise AuthError("woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.")
        key.nonces[moment] = nonce
        for stamp in [s for s in key.nonces if s < now - VALID_WINDOW]:
            del key.nonces[stamp]
