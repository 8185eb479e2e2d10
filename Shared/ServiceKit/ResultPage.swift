/// One page of a list an API answers with: the items, which page, its size,
/// and how many items match in all (`GET /v1/institutions`, `/v1/warnings`,
/// `/v1/findings`, …). The documents' `…Page` schemas are this shape.
public struct ResultPage<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var pageSize: Int
    public var total: Int

    public init(items: [Item], page: Int, pageSize: Int, total: Int) {
        self.items = items
        self.page = page
        self.pageSize = pageSize
        self.total = total
    }
}
