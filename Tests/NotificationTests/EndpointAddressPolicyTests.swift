import Foundation
import Testing
@testable import Notification

/// Which addresses outside channels may reach (pure: no network).
@Suite struct EndpointAddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "169.254.170.2", "100.64.0.1", "100.100.100.200", "192.0.0.192", "0.0.0.0", "224.0.0.1", "255.255.255.255",
        "::1", "::", "fc00::1", "fd00:ec2::254", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
        "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "[::1]",
    ])
    func refused(_ text: String) throws {
        let address = try #require(IPAddress(text), "\(text) parses")
        #expect(EndpointAddressPolicy.refusal(address) != nil, "\(text) must be refused")
    }

    @Test(arguments: [
        "203.0.113.10", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888",
        "::ffff:8.8.8.8", "2400:3200::1",
    ])
    func allowed(_ text: String) throws {
        let address = try #require(IPAddress(text), "\(text) parses")
        #expect(EndpointAddressPolicy.refusal(address) == nil, "\(text) must be allowed")
    }

    @Test func theReasonNamesTheAddressAndWhatItIs() throws {
        let loopbackAddress = try #require(IPAddress("127.0.0.1"))
        let loopback = try #require(EndpointAddressPolicy.refusal(loopbackAddress))
        #expect(loopback.text(host: "127.0.0.1") == "127.0.0.1 is loopback")
        #expect(loopback.text(host: "localhost") == "localhost resolves to 127.0.0.1, which is loopback")
        let mappedAddress = try #require(IPAddress("::ffff:10.0.0.1"))
        let mapped = try #require(EndpointAddressPolicy.refusal(mappedAddress))
        #expect(mapped.text(host: "::ffff:10.0.0.1") == "::ffff:10.0.0.1, which stands for 10.0.0.1, which is private (RFC 1918)")
    }

    /// Only the strict literal forms are literals; the rest are resolved
    /// like names (and the resolver's answer is what is checked).
    @Test func oddNumericFormsAreNotLiterals() {
        #expect(IPAddress("127.1") == nil)
        #expect(IPAddress("2130706433") == nil)
        #expect(IPAddress("0x7f.0.0.1") == nil)
        #expect(IPAddress("[::ffff:127.0.0.1]")?.description == "::ffff:127.0.0.1")
    }
}
