//! URL checks, one of each: an absolute http(s) URL (webhooks, page context), and a link safe to
//! keep in article HTML. Hand-written rather than the `url` crate: these two questions need
//! a few lines, and the crate (with IDNA tables) would weigh more than the whole form in the
//! widget's wasm.

use std::net::IpAddr;

use crate::domain::limits::MAX_URL_CHARS;

/// The scheme of `url`, lowercased, with the ASCII whitespace and controls that browsers ignore
/// inside a scheme (`java\tscript:`) dropped; `None` for a relative URL.
fn scheme(url: &str) -> Option<String> {
    let compact: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control()).collect();
    let colon = compact.find(':')?;
    // A colon after a path, query or fragment started is not a scheme.
    let scheme = &compact[..colon];
    (!scheme.contains(['/', '?', '#'])).then(|| scheme.to_ascii_lowercase())
}

/// An absolute `http://` or `https://` URL with a host, of at most [`MAX_URL_CHARS`] chars and
/// no whitespace or control characters.
pub fn is_http_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    url.chars().count() <= MAX_URL_CHARS && host_end > 0 && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether a link or image URL may stay in article HTML: relative, or http(s) or mailto.
pub fn is_safe_link(url: &str) -> bool {
    scheme(url).is_none_or(|s| ["http", "https", "mailto"].contains(&s.as_str()))
}

/// A piece of a message's text: plain text, or a web address to show as a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// `text` cut into plain text and the http(s) addresses in it, so that clients can show
/// addresses as links and everything else as text. An address ends at white space; punctuation
/// that closes a sentence or a bracket is left out of it.
pub fn linkify(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"].iter().filter_map(|p| rest.find(p)).min() {
        let len = rest[start..].find(char::is_whitespace).unwrap_or(rest.len() - start);
        let candidate = &rest[start..start + len];
        let link = candidate.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '"', '\'']);
        if link.len() <= "https://".len() {
            pieces.push(Piece::Text(&rest[..start + len]));
            rest = &rest[start + len..];
            continue;
        }
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        pieces.push(Piece::Link(link));
        rest = &rest[start + link.len()..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// The path of an `http(s)` address (`/` when it has none), without query or fragment.
pub fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    rest.find('/').map_or("/", |slash| &rest[slash..])
}

/// `url` as Tabdesk keeps it: without its fragment, and with only the query parameters the
/// site allows (`allowed`, by name); the rest of a page's address can carry tokens or
/// personal data that support has no use for.
pub fn minimize(url: &str, allowed: &[String]) -> String {
    let url = url.split('#').next().unwrap_or("");
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            !name.is_empty() && allowed.iter().any(|a| a == name)
        })
        .collect();
    if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// Where outbound requests (webhooks, later channel replies) may go. Cloudflare's network does
/// not route to private addresses, but a deployment elsewhere (or local workerd) would, so the
/// rule is ours: public hosts over https only. Local development may allow loopback receivers
/// (a worker setting, never a site's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboundPolicy {
    pub allow_loopback: bool,
}

/// Host names that never mean a public server.
const PRIVATE_SUFFIXES: [&str; 6] = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa"];

fn ip_is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

fn ip_is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => ip_is_public(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80)
            }
        },
    }
}

/// Whether an outbound request to `url` is allowed; `Err` says why not (operator-facing).
pub fn check_outbound(url: &str, policy: OutboundPolicy) -> Result<(), &'static str> {
    if !is_http_url(url) {
        return Err("An http(s) URL.");
    }
    let https = url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://"));
    let rest = &url[if https { 8 } else { 7 }..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains(['@', '\\', '%']) {
        return Err("No credentials or escapes in the host.");
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    }
    .trim_end_matches('.')
    .to_ascii_lowercase();
    let ip = host.parse::<IpAddr>().ok();
    let loopback = ip.is_some_and(ip_is_loopback) || host == "localhost" || host.ends_with(".localhost");
    if loopback && policy.allow_loopback {
        return Ok(());
    }
    // Browsers and fetch read a host whose last label is a number (`2130706433`, `0x7f.1`) as
    // an IPv4 address: only the plain dotted form is accepted, and checked.
    let last = host.rsplit('.').next().unwrap_or("");
    let numeric = !last.is_empty() && (last.chars().all(|c| c.is_ascii_digit()) || last.starts_with("0x"));
    match ip {
        Some(ip) if !ip_is_public(ip) => return Err("Not a loopback, private, link-local or reserved address."),
        None if numeric => return Err("Write an IPv4 address as four decimal numbers."),
        None if host == "localhost" || PRIVATE_SUFFIXES.iter().any(|s| host.ends_with(s)) || !host.contains('.') => {
            return Err("A public host name.")
        }
        _ => {}
    }
    if https {
        Ok(())
    } else {
        Err("An https URL.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_text_become_links_and_nothing_else_does() {
        use Piece::{Link, Text};
        assert_eq!(
            linkify("See https://shop.example/kb/a?x=1, then (http://b.example)."),
            [
                Text("See "),
                Link("https://shop.example/kb/a?x=1"),
                Text(", then ("),
                Link("http://b.example"),
                Text(").")
            ]
        );
        assert_eq!(linkify("javascript:alert(1) and ftp://x"), [Text("javascript:alert(1) and ftp://x")]);
        assert_eq!(linkify("just https:// here"), [Text("just https://"), Text(" here")]);
        assert_eq!(linkify(""), []);
        assert_eq!(linkify("«https://a.example/б»"), [Text("«"), Link("https://a.example/б"), Text("»")]);
    }

    #[test]
    fn http_urls() {
        for good in ["https://shop.example/help?x=1", "HTTP://a.example", "http://127.0.0.1:8787/x"] {
            assert!(is_http_url(good), "{good}");
        }
        let long = format!("https://a.example/{}", "x".repeat(MAX_URL_CHARS));
        for bad in ["javascript:alert(1)", "ftp://a.example", "https://", "https:///path", "https://a b", "//a", &long]
        {
            assert!(!is_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn safe_links() {
        for good in
            ["/kb/x", "x.html#a:b", "https://a.example", "MAILTO:help@a.example", "?q=a:b", "#top", "relative/a:b"]
        {
            assert!(is_safe_link(good), "{good}");
        }
        for bad in
            ["javascript:x", "java\tscript:x", "java\nscript:x", " JavaScript:x", "data:text/html,x", "vbscript:x"]
        {
            assert!(!is_safe_link(bad), "{bad}");
        }
    }

    #[test]
    fn page_addresses_keep_only_allowed_parameters() {
        let allowed = vec!["product".to_owned(), "lang".to_owned()];
        assert_eq!(
            minimize("https://shop.example/p?token=secret&product=42&lang=ru#reset=abc", &allowed),
            "https://shop.example/p?product=42&lang=ru"
        );
        assert_eq!(minimize("https://shop.example/p?email=a@b.c#x", &allowed), "https://shop.example/p");
        assert_eq!(minimize("https://shop.example/p", &[]), "https://shop.example/p");
        assert_eq!(minimize("https://shop.example/p?product", &allowed), "https://shop.example/p?product");
    }

    #[test]
    fn outbound_requests_go_to_public_https_hosts_only() {
        let strict = OutboundPolicy::default();
        let dev = OutboundPolicy { allow_loopback: true };
        assert_eq!(check_outbound("https://hooks.example.com/tabdesk", strict), Ok(()));
        assert_eq!(check_outbound("https://203.0.114.7:8443/x", strict), Ok(()), "a public address");
        for bad in [
            "http://hooks.example.com/x",
            "https://127.0.0.1/x",
            "https://localhost:8080/x",
            "https://api.localhost/x",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://metadata.google.internal/",
            "https://printer.local/",
            "https://intranet/",
            "https://user@hooks.example.com/",
            "https://hooks.example.com%2f@127.0.0.1/",
            "ftp://hooks.example.com/",
        ] {
            assert!(check_outbound(bad, strict).is_err(), "{bad}");
        }
        assert_eq!(check_outbound("http://127.0.0.1:9000/hook", dev), Ok(()), "loopback in local development");
        assert_eq!(check_outbound("http://localhost:9000/hook", dev), Ok(()));
        assert!(check_outbound("http://10.0.0.1/", dev).is_err(), "still no private networks");
        assert!(check_outbound("http://hooks.example.com/", dev).is_err(), "still https for real hosts");
    }
}
