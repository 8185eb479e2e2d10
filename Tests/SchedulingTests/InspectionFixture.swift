import Domain
import EventFlow
import Foundation

/// The inspection service's events as it publishes them (docs/asyncapi.yaml,
/// Services/Inspection/Domain/Warning.swift; the findings' contract), for
/// the scheduling service's handlers and for a test that puts them on a broker.
enum InspectionFixture {
    static let source = "/shuangjian/inspection"

    static func event(_ type: String, _ data: [String: Any], time: Date = Date()) -> CloudEvent {
        let bytes = try! JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return CloudEvent(id: UUID().uuidString.lowercased(), source: source, type: type, time: time, data: Array(bytes))
    }

    struct Step {
        var n: Int
        var level: String
        var title: String
        var unitId: String
        var unitName: String
        var role: String
        var dueDate: String
        var workingDays: Int
    }

    /// A warning about 房县启航培训学校 with `steps` (ids `<warning id>/<n>`).
    static func warning(id: UUID, level: String, steps: [Step], at time: Date) -> [String: Any] {
        let lower = id.uuidString.lowercased()
        return [
            "id": lower,
            "subject": ["kind": "institution", "key": "institution-code:91420325MA4F0XYW1K", "name": "房县启航培训学校",
                        "creditCode": "91420325MA4F0XYW1K", "registered": true] as [String: Any],
            "level": level, "status": "raised", "score": 8.5,
            "responsibleUnits": [
                ["unitId": "education-bureau", "name": "县教育局", "role": "lead", "basis": ["supervising"]],
                ["unitId": "market-regulation-bureau", "name": "县市场监管局", "role": "assisting", "basis": ["daily-supervision"]],
            ],
            "responsibleUnitIds": ["education-bureau", "market-regulation-bureau"],
            "explanation": ["score": 8.5, "level": level, "threshold": 8, "windowDays": 30, "contributions": [[String: Any]]()] as [String: Any],
            "levelHistory": [[String: Any]](),
            "handlingSteps": steps.map { step in
                [
                    "id": "\(lower)/\(step.n)", "level": step.level, "title": step.title, "unitId": step.unitId,
                    "unitName": step.unitName, "role": step.role, "assignedAt": RFC3339.format(time), "dueDate": step.dueDate,
                    "workingDays": step.workingDays, "provisional": false,
                ] as [String: Any]
            },
            "specialStudyRequested": level == "red", "raisedAt": RFC3339.format(time), "version": 1,
            "updatedAt": RFC3339.format(time),
        ]
    }

    static func warningEvent(_ type: String, id: UUID, level: String, steps: [Step], at time: Date) -> CloudEvent {
        event(type, ["warning": warning(id: id, level: level, steps: steps, at: time)], time: time)
    }

    static func specialStudy(requestId: UUID, warningId: UUID, holdBy: String, at time: Date, steps: [Step] = []) -> CloudEvent {
        event(EventType.specialStudyRequested, [
            "request": [
                "id": requestId.uuidString.lowercased(), "warningId": warningId.uuidString.lowercased(),
                "title": "关于房县启航培训学校红色预警的专题研判", "level": "red",
                "subject": ["kind": "institution", "key": "institution-code:91420325MA4F0XYW1K", "name": "房县启航培训学校"],
                "unitIds": ["education-bureau", "market-regulation-bureau"], "requestedAt": RFC3339.format(time),
                "holdBy": holdBy, "provisional": false,
                "reason": "score 8.5 reached the red threshold 8 (3 signals in 30 days)",
            ] as [String: Any],
            "warning": warning(id: warningId, level: "red", steps: steps, at: time),
        ], time: time)
    }

    /// A finding of the contract's shape; `round` nil: no rectification.
    static func finding(
        id: UUID, status: String, round: Int?, dueDate: String = "2026-12-14", version: Int, at time: Date,
        unitId: String = "education-bureau", assisting: [String] = []
    ) -> [String: Any] {
        var finding: [String: Any] = [
            "id": id.uuidString.lowercased(), "campaignId": UUID().uuidString.lowercased(),
            "campaignTitle": "2026年秋季学期“双减”工作联合指导检查", "inspectionId": UUID().uuidString.lowercased(),
            "subjectKind": "unit", "unitId": unitId, "unitName": "县教育局",
            "item": ["id": "education-bureau/3", "text": "课后服务经费保障机制", "basis": "三（一）"],
            "outcome": "partly", "description": "部分学校课后服务经费未按时拨付。", "status": status,
            "raisedAt": RFC3339.format(time), "version": version, "updatedAt": RFC3339.format(time),
        ]
        if let round {
            finding["rectification"] = [
                "id": "\(id.uuidString.lowercased())/\(round)", "round": round, "title": "整改：课后服务经费保障机制",
                "unitId": unitId, "assistingUnitIds": assisting, "assignedAt": RFC3339.format(time), "dueDate": dueDate,
                "workingDays": 10, "provisional": false,
            ] as [String: Any]
        } else {
            finding["rectification"] = NSNull()
        }
        return finding
    }

    static func findingEvent(_ type: String, _ finding: [String: Any], at time: Date) -> CloudEvent {
        event(type, ["finding": finding], time: time)
    }

    static let redSteps = [
        Step(n: 1, level: "red", title: "立即处置，并将处置情况报协调机制办公室", unitId: "education-bureau", unitName: "县教育局",
             role: "lead", dueDate: "2026-12-02", workingDays: 1),
        Step(n: 2, level: "red", title: "按照职责分工配合做好应急处置工作", unitId: "education-bureau", unitName: "县教育局",
             role: "lead", dueDate: "2026-12-02", workingDays: 1),
        Step(n: 3, level: "red", title: "按照职责分工配合做好应急处置工作", unitId: "market-regulation-bureau",
             unitName: "县市场监管局", role: "assisting", dueDate: "2026-12-02", workingDays: 1),
    ]
}
