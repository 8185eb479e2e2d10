import Directory
import Domain
import Foundation
import Hummingbird
import Postgres
import ServiceKit

/// Joint-inspection statistics per unit, for a period (`from`, `to`: when
/// inspections were assigned, findings and warnings raised, and the end at
/// which warnings are counted open; China time) and/or one campaign, as JSON
/// or as CSV Excel opens (`format=csv`); every figure is defined in
/// docs/statistics.md. The office and the
/// conveners read every unit's row; a `unit` token its own unit's only.
struct InspectionStatisticsRoutes {
    let pool: PostgresPool

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/v1/inspection-statistics") { request, context in
            let principal = try context.require(anyOf: Access.inspectionReaders)
            var query = QueryParsing(request)
            let from = query.parse("from", LocalDate.init)
            let to = query.parse("to", LocalDate.init)
            let campaignId = query.parse("campaignId", UUID.init(uuidString:))
            var unitId = query.parse("unitId", QueryParsing.exact(maxLength: 100)) ?? nil
            let format = query.parse("format") { ["json", "csv"].contains($0) ? $0 : nil } ?? "json"
            try query.finish()
            if let from, let to, to < from { throw Problem.validation([.init(field: "to", detail: "must not be before from")]) }
            if principal.role == .unit {
                if let unitId, unitId != principal.unitId { throw Problem.forbidden("a unit token reads only its own unit's statistics") }
                unitId = principal.unitId ?? ""
            }
            let period = InspectionStatisticsStore.Period(
                from: from?.startOfDay(), before: to?.adding(days: 1).startOfDay(), campaignId: campaignId)
            let only = unitId
            let statistics = try await pool.transaction { connection -> InspectionStatistics in
                let inspections = try await InspectionStatisticsStore.inspections(period, on: connection)
                let findings = try await InspectionStatisticsStore.findings(period, on: connection)
                let warnings = try await InspectionStatisticsStore.warnings(period, on: connection)
                let directory = try await DirectoryStore.activeUnits(on: connection)
                var units = directory.map { (id: $0.id, name: $0.name) }
                let named = Set(inspections.compactMap(\.unitId) + findings.map(\.unitId)).subtracting(units.map(\.id))
                let names = try await DirectoryStore.unitNames(Array(named), on: connection)
                units += named.sorted().map { (id: $0, name: names[$0] ?? $0) }
                if let only { units = units.filter { $0.id == only } }
                return InspectionStatistics.compute(
                    units: units, inspections: inspections, findings: findings,
                    warningsRaised: WarningPeriodCounts.raised(warnings, from: period.from, before: period.before),
                    openWarnings: WarningPeriodCounts.open(warnings, at: period.before), from: from, to: to, campaignId: campaignId)
            }
            guard format == "csv" else { return try JSONResponse(statistics).response(from: request, context: context) }
            let name = "inspection-statistics-\(from?.description ?? "all")-\(to?.description ?? "all").csv"
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\""],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(InspectionStatisticsCSV.render(statistics).utf8))))
        }
    }
}
