/// What a duty is about, so "who is responsible for X" has an answer.
public enum DutyTopic: String, Codable, Sendable, CaseIterable, Equatable {
    case partyBuilding = "party-building"
    case publicity
    case advertising
    case textbooks
    case stability
    case staffing
    case coordination
    case dailySupervision = "daily-supervision"
    case schoolQuality = "school-quality"
    case homework
    case fees
    case approvalStandards = "approval-standards"
    case approval
    case registration
    case funding
    case teacherIncentives = "teacher-incentives"
    case publicSecurity = "public-security"
    case fireSafety = "fire-safety"
    case earthquakeSafety = "earthquake-safety"
    case facilitySafety = "facility-safety"
    case epidemicPrevention = "epidemic-prevention"
    case priceSupervision = "price-supervision"
    case antiMonopoly = "anti-monopoly"
    case lawEnforcement = "law-enforcement"
    case prepaidFeeRisk = "prepaid-fee-risk"
    case financing
    case afterSchoolService = "after-school-service"
    case familyEducation = "family-education"
}
