//! Which web origins may embed a site's widget: patterns such as `https://example.com`,
//! `https://*.example.com` or `http://localhost:*`, matched exactly as CSP `frame-ancestors`
//! matches them, so that the header and our own Origin checks agree.

/// A parsed allowed-origin pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    /// Lowercase host; a leading `*.` allows any subdomain (not the bare domain).
    host: String,
    port: Port,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Port {
    Default,
    Any,
    Number(u16),
}

impl OriginPattern {
    /// Parses `scheme://host[:port|:*]`; no path, query, credentials or wildcard elsewhere.
    pub fn parse(s: &str) -> Result<OriginPattern, &'static str> {
        let (scheme, rest) = s.split_once("://").ok_or("must start with http:// or https://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err("must start with http:// or https://");
        }
        if rest.contains(['/', '?', '#', '@']) {
            return Err("must be an origin: no path, query or credentials");
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, "*")) => (host, Port::Any),
            Some((host, port)) => (host, Port::Number(port.parse().map_err(|_| "port must be a number or *")?)),
            None => (rest, Port::Default),
        };
        let bare = host.strip_prefix("*.").unwrap_or(host);
        let valid_label =
            |l: &str| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if bare.is_empty() || host.len() > 253 || !bare.split('.').all(valid_label) {
            return Err("host must be a domain name or address");
        }
        Ok(OriginPattern { scheme, host: host.to_ascii_lowercase(), port })
    }

    /// Whether a concrete origin (as browsers send in `Origin`) is allowed by this pattern.
    pub fn matches(&self, origin: &str) -> bool {
        let Ok(concrete) = OriginPattern::parse(origin) else {
            return false;
        };
        if concrete.scheme != self.scheme || concrete.host.starts_with("*.") {
            return false;
        }
        let host_ok = match self.host.strip_prefix("*.") {
            Some(domain) => concrete.host.strip_suffix(domain).is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            None => concrete.host == self.host,
        };
        let default_port = if self.scheme == "https" { 443 } else { 80 };
        let port_of = |p: &Port| match p {
            Port::Number(n) => Some(*n),
            Port::Default => Some(default_port),
            Port::Any => None,
        };
        let port_ok = match self.port {
            Port::Any => matches!(concrete.port, Port::Number(_) | Port::Default),
            _ => port_of(&self.port) == port_of(&concrete.port),
        };
        host_ok && port_ok
    }

    /// The pattern as a CSP source expression.
    pub fn to_csp_source(&self) -> String {
        match self.port {
            Port::Default => format!("{}://{}", self.scheme, self.host),
            Port::Any => format!("{}://{}:*", self.scheme, self.host),
            Port::Number(n) => format!("{}://{}:{n}", self.scheme, self.host),
        }
    }
}

/// The `frame-ancestors` directive for a site; `'none'` when it lists no origin.
pub fn frame_ancestors(patterns: &[OriginPattern]) -> String {
    if patterns.is_empty() {
        return "frame-ancestors 'none'".to_owned();
    }
    let sources: Vec<String> = patterns.iter().map(OriginPattern::to_csp_source).collect();
    format!("frame-ancestors {}", sources.join(" "))
}

/// Parses stored patterns, dropping any that no longer parse rather than failing the request.
pub fn parse_all(patterns: &[String]) -> Vec<OriginPattern> {
    patterns.iter().filter_map(|p| OriginPattern::parse(p).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> OriginPattern {
        OriginPattern::parse(s).unwrap()
    }

    #[test]
    fn any_port_on_localhost() {
        let pat = p("http://localhost:*");
        assert!(pat.matches("http://localhost:5173"));
        assert!(pat.matches("http://localhost"));
        assert!(!pat.matches("https://localhost:5173"));
        assert!(!pat.matches("http://localhost.evil.com:80"));
    }

    #[test]
    fn subdomain_wildcards() {
        let pat = p("https://*.example.com");
        assert!(pat.matches("https://shop.example.com"));
        assert!(!pat.matches("https://example.com"));
        assert!(!pat.matches("https://badexample.com"));
        assert!(!pat.matches("https://shop.example.com:8443"));
        assert!(p("https://example.com").matches("https://example.com:443"));
    }

    #[test]
    fn rejects_non_origins() {
        for bad in ["example.com", "ftp://x.com", "https://x.com/path", "https://", "https://a b", "https://x.com:port"]
        {
            assert!(OriginPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn builds_frame_ancestors() {
        let pats = vec![p("http://localhost:*"), p("HTTPS://Example.com")];
        assert_eq!(frame_ancestors(&pats), "frame-ancestors http://localhost:* https://example.com");
        assert_eq!(frame_ancestors(&[]), "frame-ancestors 'none'");
    }
}
