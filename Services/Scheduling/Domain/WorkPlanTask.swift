import Foundation

/// The task every member unit gets when it is admitted (the 26 units of the
/// notice included): 通知 四(一), "各成员单位要……按照我县关于“双减”工作任务
/// 分工,制定本单位工作方案,做好涉及本单位相关工作,落实好“双减”工作任务要求。"
enum WorkPlanTask {
    static let title = "制定本单位工作方案"

    /// The notice's own sentence, as the task's detail.
    static let detail =
        "各成员单位要充分认识“双减”工作的重要意义，切实提高政治站位，按照我县关于“双减”工作任务分工，制定本单位工作方案，"
        + "做好涉及本单位相关工作，落实好“双减”工作任务要求。（《房县人民政府办公室关于建立房县“双减”工作专门协调机制的通知》（房政办函〔2022〕37号）四（一））"
}
