import Domain
/// "Who is responsible for X", answered from the duty matrix: the member
/// units' duties, their topics, their roles and (where the notice narrows a
/// duty to some institutions) their `DutyScope`. The answers follow the units
/// the caller passes (the seeded ones, or the registry's current ones,
/// including units admitted later): the units that lead first, then those
/// that only assist, each group in the order given (the notice's order for
/// the seed). A partner named in another unit's 会同 / 配合 sentence holds a
/// derived item (`DutyPartners`), so it is found like any other unit.
///
/// Only one answer is not in the matrix: who approves a 学科类 (subject-based)
/// institution. See `derive(category:nonProfit:units:)`.
enum Responsibility {
    /// The units with at least one duty tagged `topic`, whatever its scope;
    /// those leading on it first.
    static func units(responsibleFor topic: DutyTopic, in units: [MemberUnit]) -> [MemberUnit] {
        leadsFirst(units) { $0.topics.contains(topic) }
    }

    /// The units with a duty tagged `topic` whose scope covers an institution
    /// of `category` that is (or is not) non-profit; those leading on it first.
    static func units(
        responsibleFor topic: DutyTopic, category: InstitutionCategory, nonProfit: Bool, in units: [MemberUnit]
    ) -> [MemberUnit] {
        leadsFirst(units) { $0.topics.contains(topic) && $0.covers(category: category, nonProfit: nonProfit) }
    }

    /// The unit's part in `topic`: lead if one of its duties on it leads,
    /// assisting if it only assists, nil if it has no duty on it.
    static func role(of unit: MemberUnit, for topic: DutyTopic) -> DutyRole? {
        role(of: unit) { $0.topics.contains(topic) }
    }

    /// The units with a duty matching `matches`: those with a leading one
    /// first, then those that only assist, each in the order given.
    static func leadsFirst(_ units: [MemberUnit], where matches: (Duty) -> Bool) -> [MemberUnit] {
        let roles = units.map { role(of: $0, where: matches) }
        let leads = zip(units, roles).filter { $0.1 == .lead }.map(\.0)
        let assisting = zip(units, roles).filter { $0.1 == .assisting }.map(\.0)
        return leads + assisting
    }

    private static func role(of unit: MemberUnit, where matches: (Duty) -> Bool) -> DutyRole? {
        let roles = unit.duties.filter(matches).map(\.role)
        if roles.contains(.lead) { return .lead }
        return roles.isEmpty ? nil : .assisting
    }

    /// The topics whose units supervise an institution once it operates.
    static let supervisingTopics: [DutyTopic] = [.dailySupervision, .priceSupervision]

    /// The units that approve, register, set the approval standard for and
    /// supervise an institution of `category`, non-profit or not; in each
    /// part the units that lead first (县行政审批局 before 县文旅局, which
    /// "配合审批部门做好有关审批工作").
    ///
    /// The rules, each with the sentence of the notice (二(二) 职责分工) it
    /// rests on; the matrix answers them through topics and scopes:
    ///
    /// - **standardSetting** = units with an `approval-standards` duty covering
    ///   the category.
    ///   县文旅局:"负责制定体育艺术类非学科校外培训机构审批标准";
    ///   县科经局:"负责制定科技类非学科校外培训机构审批标准".
    ///   The notice sets no standard for 学科类 or other 非学科类 institutions:
    ///   empty for those (see `gaps`).
    ///
    /// - **approving**, non-subject = units with an `approval` duty covering it,
    ///   the lead first.
    ///   县行政审批局:"负责会同文旅、科经部门做好非学科类校外培训机构审批和登记工作" (lead);
    ///   县文旅局:"配合审批部门做好有关审批工作" (体育艺术类, assisting);
    ///   县科经局:"配合审批部门做好科技类培训机构的审批工作" (assisting).
    ///
    /// - **approving**, subject-based: *our reading*. The notice names no unit
    ///   that approves 学科类 institutions; it gives 县教育局 "负责抓好统筹协调,
    ///   会同有关部门加强对校外培训机构日常监管", and under the national 双减
    ///   policy education departments approve subject-based training. So the
    ///   approving units are those with a `coordination` duty (统筹协调): the
    ///   education bureau. If no unit coordinates, approving is empty.
    ///
    /// - **registering** = units with a `registration` duty covering the
    ///   category and profit type, as the notice words them and no narrower.
    ///   县民政局:"负责做好非营利性培训机构法人登记工作" (non-profit, any category);
    ///   县市场监管局:"负责会同行政审批部门做好非学科类培训机构登记工作"
    ///   (non-subject, for-profit or not: the notice sets no profit limit, so
    ///   neither does the seed; a non-profit non-subject institution has all
    ///   three units listed);
    ///   县行政审批局: "…非学科类校外培训机构审批和登记工作" (non-subject, either).
    ///   县文旅局 and 县科经局 are named in 县行政审批局's sentence, but their
    ///   own paragraphs give them the approval only (配合审批部门做好…审批工作),
    ///   so they are not registering units (`DutyPartners`).
    ///   A for-profit subject-based institution has no registering unit in the
    ///   notice: empty (see `gaps`).
    ///
    /// - **supervising** = units with a `daily-supervision` or
    ///   `price-supervision` duty covering the category.
    ///   县教育局:"会同有关部门加强对校外培训机构日常监管" (all);
    ///   县文旅局 / 县科经局:"会同市场监管、教育部门抓好体育艺术类 / 科技类非学科
    ///   校外培训机构监管有关工作" (their category);
    ///   县市场监管局:"加强校外培训机构价格监管检查、广告监管…" (all).
    ///   Topic-specific supervisors (fire safety, prepaid fees, advertising as
    ///   such, epidemic prevention, …) are not listed here: ask
    ///   `units(responsibleFor:in:)` for the topic.
    static func derive(
        category: InstitutionCategory, nonProfit: Bool, units: [MemberUnit]
    ) -> ResponsibleUnits {
        func ids(_ topics: [DutyTopic]) -> [String] {
            leadsFirst(units) { duty in
                duty.covers(category: category, nonProfit: nonProfit) && topics.contains(where: duty.topics.contains)
            }.map(\.id)
        }
        let approving: [String] =
            category == .subject
            ? Self.units(responsibleFor: .coordination, in: units).map(\.id)
            : ids([.approval])
        return ResponsibleUnits(
            approving: approving,
            registering: ids([.registration]),
            standardSetting: ids([.approvalStandards]),
            supervising: ids(supervisingTopics))
    }

    /// What the notice leaves open for such an institution: one sentence per
    /// empty part of its `ResponsibleUnits` (empty: the notice answers all).
    static func gaps(category: InstitutionCategory, nonProfit: Bool, units: [MemberUnit]) -> [String] {
        let derived = derive(category: category, nonProfit: nonProfit, units: units)
        let kind = "\(nonProfit ? "non-profit" : "for-profit") \(category.rawValue) institution"
        var gaps: [String] = []
        if derived.approving.isEmpty { gaps.append("no member unit approves a \(kind)") }
        if derived.registering.isEmpty { gaps.append("no member unit registers a \(kind)") }
        if derived.standardSetting.isEmpty { gaps.append("no member unit sets the approval standard for a \(kind)") }
        if derived.supervising.isEmpty { gaps.append("no member unit supervises a \(kind)") }
        return gaps
    }
}

extension DutyScope {
    /// Whether an institution of `category`, non-profit or not, is within the scope.
    func covers(category: InstitutionCategory, nonProfit: Bool) -> Bool {
        (categories?.contains(category) ?? true) && (self.nonProfit.map { $0 == nonProfit } ?? true)
    }
}

extension Duty {
    /// Whether the duty applies to such an institution (an unscoped duty applies to all).
    func covers(category: InstitutionCategory, nonProfit: Bool) -> Bool {
        scope?.covers(category: category, nonProfit: nonProfit) ?? true
    }
}

extension MemberUnit {
    /// The topics of the unit's duties, each once, in the order they first appear.
    var topics: [DutyTopic] {
        var seen = Set<DutyTopic>()
        return duties.flatMap(\.topics).filter { seen.insert($0).inserted }
    }

    /// Whether `name` is the unit's name or one of its aliases.
    func isCalled(_ name: String) -> Bool { name == self.name || aliases.contains(name) }
}
