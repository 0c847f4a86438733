//! Who is on the other end: the client's address, for the per-address lockout and the audit
//! log. Behind a reverse proxy every connection comes from the proxy, so the address the proxy
//! saw is taken from `X-Forwarded-For`, but only when the connection comes from a configured
//! trusted proxy (`MACHTIG_TRUSTED_PROXIES`): anyone else could write any address there.

use std::net::{IpAddr, Ipv6Addr};

/// An address range in CIDR notation (`10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("{text} is not an address or range"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// IPv4 addresses that arrive mapped into IPv6 (`::ffff:1.2.3.4`) are IPv4 addresses.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The client's address: the connection's peer, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` (read from the right) that is not itself a trusted
/// proxy. A malformed header counts as none: the peer is then the client.
pub fn client_address<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[AddressRange],
) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.iter().any(|range| range.contains(peer)) {
        return peer;
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for header in forwarded_for {
        for hop in header.split(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(canonical(ip)),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !trusted.iter().any(|range| range.contains(*ip)))
        .unwrap_or(peer)
}

/// The key the per-address lockout counts under: one IPv4 address, or an IPv6 /64 (the
/// smallest block a provider gives one customer, who can use every address in it).
pub fn lockout_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => format!("address:{v4}"),
        IpAddr::V6(v6) => {
            let network = Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64));
            format!("address:{network}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn ranges(list: &[&str]) -> Vec<AddressRange> {
        list.iter()
            .map(|r| AddressRange::parse(r).unwrap())
            .collect()
    }

    #[test]
    fn ranges_hold_what_their_prefix_says() {
        let r = AddressRange::parse("10.1.0.0/16").unwrap();
        assert!(r.contains(ip("10.1.200.3")));
        assert!(!r.contains(ip("10.2.0.1")));
        assert!(r.contains(ip("::ffff:10.1.0.9")));
        assert!(AddressRange::parse("0.0.0.0/0")
            .unwrap()
            .contains(ip("8.8.8.8")));
        assert!(AddressRange::parse("fd00::/8")
            .unwrap()
            .contains(ip("fd12::1")));
        assert!(AddressRange::parse("127.0.0.1")
            .unwrap()
            .contains(ip("127.0.0.1")));
        for bad in ["10.0.0.0/33", "::/129", "proxy", "10.0.0.0/x", ""] {
            assert!(AddressRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
        let trusted = ranges(&["10.0.0.0/8"]);
        // Directly connected: the header is the client's own invention.
        assert_eq!(
            client_address(ip("203.0.113.5"), ["198.51.100.1"], &trusted),
            ip("203.0.113.5")
        );
        // Through the proxy: the address the proxy saw.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["198.51.100.1"], &trusted),
            ip("198.51.100.1")
        );
        // Without trusted proxies nothing is taken from the header.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["198.51.100.1"], &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn a_client_cannot_hide_behind_an_address_it_wrote_itself() {
        let trusted = ranges(&["10.0.0.0/8"]);
        // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended what it saw.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["1.2.3.4, 198.51.100.7"], &trusted),
            ip("198.51.100.7")
        );
        // Two proxies of ours: skip both.
        assert_eq!(
            client_address(
                ip("10.0.0.2"),
                ["1.2.3.4, 198.51.100.7, 10.0.0.3"],
                &trusted
            ),
            ip("198.51.100.7")
        );
        // Garbage in the header: the proxy is the client (it still counts, and locks only it).
        assert_eq!(
            client_address(ip("10.0.0.2"), ["198.51.100.7, not-an-ip"], &trusted),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_block() {
        assert_eq!(
            lockout_key(ip("2001:db8:1:2:aaaa::1")),
            lockout_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_ne!(
            lockout_key(ip("2001:db8:1:2::1")),
            lockout_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(lockout_key(ip("::ffff:192.0.2.1")), "address:192.0.2.1");
        assert_eq!(lockout_key(ip("192.0.2.1")), "address:192.0.2.1");
    }
}
