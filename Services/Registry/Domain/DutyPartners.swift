import Domain

/// The other side of the notice's 会同 / 配合 sentences (docs/duty-matrix.md).
///
/// "县妇联:负责会同教育部门办好家长学校" is written in 县妇联's paragraph only,
/// yet 县教育局 answers for family education too. Each such sentence is
/// recorded once, on the item of the unit whose paragraph it is
/// (`role`, `partnerUnitIds`); this gives every named partner whose own
/// paragraph says nothing of that work a derived item with the same text,
/// topics and scope, the other role, and `sourceDutyId` citing the sentence.
/// Because the partner then holds the duty like any other, every reader of
/// the matrix — `Responsibility`, the duty-matrix query, the notification
/// service's `units-with-topic` routing — finds it without knowing about
/// partners.
///
/// Where the partner's own paragraph already states its part in the same
/// work (县行政审批局:"会同文旅、科经部门做好…审批和登记工作"; 县文旅局:"配合审批部门
/// 做好有关审批工作"), that item is its duty and nothing is derived: the
/// notice's own words for the partner are kept, not widened.
enum DutyPartners {
    /// `units` with the derived items appended to each partner's duties
    /// (ids continuing `<unit id>/<n>`), in the order of `units` and their items.
    static func addingDerivedDuties(to units: [MemberUnit]) -> [MemberUnit] {
        var result = units
        let position = Dictionary(units.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var sharedDone = Set<String>()
        for unit in units {
            for duty in unit.duties where duty.isOwn && !duty.partnerUnitIds.isEmpty {
                // A sentence several units share (团县委、县科协) gives one derived item.
                let owners = [unit.id] + duty.sharedWith
                if let key = duty.sharedKey, !sharedDone.insert(key + "|" + owners.sorted().joined(separator: ",")).inserted {
                    continue
                }
                for partner in duty.partnerUnitIds {
                    guard let at = position[partner], statement(in: units[at], of: duty, by: owners) == nil else { continue }
                    let id = "\(partner)/\(result[at].duties.count + 1)"
                    result[at].duties.append(Duty(
                        id: id, text: duty.text, topics: duty.topics, sharedKey: nil, sharedWith: [], scope: duty.scope,
                        role: duty.role.counterpart, partnerUnitIds: owners, sourceDutyId: duty.id))
                }
            }
        }
        return result
    }

    /// The partner's own item stating its part in the work of `duty`: one
    /// that names one of the sentence's `owners` as a partner, on a topic of `duty`.
    static func statement(in partner: MemberUnit, of duty: Duty, by owners: [String]) -> Duty? {
        partner.duties.first { theirs in
            theirs.isOwn && theirs.partnerUnitIds.contains(where: owners.contains)
                && theirs.topics.contains(where: duty.topics.contains)
        }
    }
}
