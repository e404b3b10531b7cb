import PlaintEvents
import PlaintSystem
import Testing

@testable import PlaintImport

/// The redirect rule set on brand replies written for this test.
@Suite("redirect rules")
struct RedirectRulesTests {
    @Test(arguments: [
        ("@cust Please DM us your account number", Channel.dm),
        ("Sorry! Send us a DM and we'll look into it", .dm),
        ("We've replied to your DMs", .dm),
        ("Can you send us a direct message with the details?", .dm),
        ("Please PM us your order number", .dm),
        ("Kindly send a private message.", .dm),
        ("Please email us at help@acme.example so we can check", .email),
        ("Drop us an e-mail with your ticket", .email),
        ("Reach us at support@acme.co.uk", .email),
        ("Please call us on 0800 123 4567", .phone),
        ("Give us a call and we'll sort it", .phone),
        ("Our helpline is open 24/7", .phone),
        ("Ring 1-800-275-2273 any time", .phone),
    ])
    func aRequestToMoveNamesWhere(_ text: String, _ channel: Channel) {
        #expect(RedirectRules.destination(of: text) == channel)
    }

    @Test(arguments: [
        "Thanks for your patience, the outage is fixed",
        "Your refund for the order of 2017-10-31 is on its way",
        "Admin team is on it",  // "admin" holds "dm" but not as a word
        "We mailed the replacement yesterday",
        "Order 12345678 has shipped",
        "Follow @AcmeHelp for updates",
    ])
    func anAnswerIsNotARedirect(_ text: String) {
        #expect(RedirectRules.destination(of: text) == nil)
    }
}
