import Domain

// The seed's 会同 / 配合 sentences checked against the notice's paragraphs:
// each such word of a 职责分工 paragraph is in one of its units' items, each
// such item records its partners and the role its wording gives it, and each
// partner is a member unit the sentence names (docs/duty-matrix.md).
extension MechanismSeed {
    /// "A 会同 B …": A leads, B takes part.
    static let leadVerb = "会同"
    /// "A 配合 B …": A assists, B leads.
    static let assistVerb = "配合"

    func checkPartners(_ problems: inout [SeedProblem]) {
        for unit in units {
            for (index, duty) in unit.duties.enumerated() {
                checkPartners(of: duty, id: Self.dutyId(unit: unit.id, index: index), in: unit, &problems)
            }
        }
        checkVerbCoverage(&problems)
        for unit in units {
            for words in unit.referredToAs ?? [] where !dutyParagraphs.contains(where: { $0.text.contains(words) }) {
                problems.append(.referenceNotInNotice(unit: unit.id, words: words))
            }
        }
    }

    private func checkPartners(of duty: DutyEntry, id: String, in unit: UnitEntry, _ problems: inout [SeedProblem]) {
        let assists = duty.text.contains(Self.assistVerb)
        let leads = duty.text.contains(Self.leadVerb)
        let expected: DutyRole = assists ? .assisting : .lead
        if let role = DutyRole(rawValue: duty.role) {
            if role != expected {
                problems.append(.roleContradictsWording(duty: id, role: duty.role, expected: expected.rawValue))
            }
        } else {
            problems.append(.unknownDutyRole(duty: id, role: duty.role))
        }

        let partners = duty.partnerUnitIds ?? []
        if let words = duty.unnamedPartners, !duty.text.contains(words) {
            problems.append(.unnamedPartnersNotInText(duty: id, words: words))
        }
        if assists || leads {
            if partners.isEmpty && duty.unnamedPartners == nil {
                problems.append(.verbWithoutPartners(duty: id, verb: assists ? Self.assistVerb : Self.leadVerb))
            }
        } else if !partners.isEmpty || duty.unnamedPartners != nil {
            problems.append(.partnersWithoutVerb(duty: id))
        }

        let owners = Set([unit.id] + (duty.sharedWith ?? []))
        var seen = Set<String>()
        for partner in partners {
            if partner == unit.id {
                problems.append(.partnerIsOwnUnit(duty: id))
                continue
            }
            if !seen.insert(partner).inserted {
                problems.append(.partnerRepeated(duty: id, unit: partner))
                continue
            }
            if (duty.sharedWith ?? []).contains(partner) { problems.append(.partnerAlsoSharer(duty: id, unit: partner)) }
            guard let other = units.first(where: { $0.id == partner }) else {
                problems.append(.partnerUnknownUnit(duty: id, unit: partner))
                continue
            }
            let names = [other.name] + other.aliases + (other.referredToAs ?? [])
            if !names.contains(where: { duty.text.contains($0) }) {
                problems.append(.partnerNotNamed(duty: id, partner: partner))
            }
            // Where both paragraphs state the same work (县行政审批局 会同文旅、科经;
            // 县文旅局 配合审批部门), one side leads and the other assists.
            for (theirIndex, theirs) in other.duties.enumerated()
            where theirs.role == duty.role
                && !owners.isDisjoint(with: theirs.partnerUnitIds ?? [])
                && !Set(theirs.topics).isDisjoint(with: duty.topics) {
                problems.append(.mirroredRolesClash(duty: id, partnerDuty: Self.dutyId(unit: partner, index: theirIndex)))
            }
        }
    }

    /// Every 会同 and 配合 of a paragraph appears, as often, in the items each
    /// unit it names takes from it: none is left out of the seed.
    private func checkVerbCoverage(_ problems: inout [SeedProblem]) {
        func count(_ verb: String, in text: String) -> Int { text.components(separatedBy: verb).count - 1 }
        for (index, paragraph) in dutyParagraphs.enumerated() {
            for name in paragraph.unitNames {
                guard let unit = unit(named: name) else { continue }  // reported by checkParagraphCoverage
                let items = unit.duties.filter { $0.paragraph == index + 1 }
                for verb in [Self.leadVerb, Self.assistVerb] {
                    let inParagraph = count(verb, in: paragraph.text)
                    let inDuties = items.reduce(0) { $0 + count(verb, in: $1.text) }
                    if inParagraph != inDuties {
                        problems.append(.paragraphVerbsUncovered(
                            paragraph: index + 1, unit: unit.id, verb: verb, inParagraph: inParagraph, inDuties: inDuties))
                    }
                }
            }
        }
    }
}
