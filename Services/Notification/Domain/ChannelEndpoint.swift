import ServiceKit

/// What a channel's endpoint may be, as docs/openapi/notification.yaml states
/// it (ChannelSetting.endpoint; the contract tests compare the two): an
/// `https` URL, or `http` on a loopback host for local testing, written with
/// the characters RFC 3986 allows (anything else percent-encoded, except in
/// the host), so that
/// every URL parser on the way reads it the same. Scheme and loopback host in
/// lower case.
enum ChannelEndpoint {
    /// A host is written as is: no percent-encoding (a parser decodes it to
    /// bytes that need not be a name; an international name is written in punycode).
    private static let hostCharacter = #"[A-Za-z0-9._~!$&'()*+,;=-]"#
    /// An IP literal (RFC 3986 §3.2.2: an IPv6 address, IPv4-mapped ones
    /// included, in brackets): allowed by the pattern so that a private one is
    /// refused for what it is (EndpointAddressPolicy), not as a malformed URL.
    private static let ipLiteral = #"\[[0-9A-Fa-f:.]+\]"#
    private static let pathCharacter = #"([A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"#
    private static let queryCharacter = #"([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})"#

    static let pattern = TextPattern(
        #"^(https://("# + hostCharacter + "+|" + ipLiteral + #")|http://(127\.0\.0\.1|localhost|\[::1\]))(:[0-9]{1,5})?"#
            + "(/" + pathCharacter + "*)?" + #"(\?"# + queryCharacter + "*)?" + "(#" + queryCharacter + "*)?$")

    static let maxLength = 1000
}
