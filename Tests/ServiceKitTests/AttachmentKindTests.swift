import Foundation
import ServiceKit
import TestSupport
import Testing

/// The one set of upload rules every service uses (`AttachmentKind`, `AttachmentUpload`).
struct AttachmentKindTests {
    @Test func kindsAreToldByContent() {
        #expect(AttachmentKind.detect(SampleFiles.pdf) == .pdf)
        #expect(AttachmentKind.detect(SampleFiles.png) == .png)
        #expect(AttachmentKind.detect(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16])) == .jpeg)
        #expect(AttachmentKind.detect(Data("GIF89a....".utf8)) == .gif)
        #expect(AttachmentKind.detect(Data("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(AttachmentKind.detect(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0])) == .officeLegacy)
        #expect(AttachmentKind.detect(SampleFiles.docx) == .officeOpenXML)
    }

    @Test func otherContentIsRefusedWhateverItsName() {
        // A plain ZIP is not an Office document; nor is a script or an executable.
        #expect(AttachmentKind.detect(Data([0x50, 0x4B, 0x03, 0x04, 20, 0]) + Data("evil.exe".utf8)) == nil)
        #expect(AttachmentKind.detect(Data("#!/bin/sh\nrm -rf /\n".utf8)) == nil)
        #expect(AttachmentKind.detect(Data([0x4D, 0x5A, 0x90, 0])) == nil)
        #expect(AttachmentKind.detect(Data()) == nil)
        #expect(AttachmentKind.detect(Data("%PD".utf8)) == nil)
    }

    @Test func theMediaTypeFollowsTheKindAndTheName() {
        #expect(AttachmentKind.officeOpenXML.mediaType(fileName: "工作方案.xlsx")
            == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(AttachmentKind.officeLegacy.mediaType(fileName: "方案.doc") == "application/msword")
        #expect(AttachmentKind.pdf.mediaType(fileName: "x.pdf") == "application/pdf")
    }

    @Test func aChineseFileNameSurvivesTheDownloadHeader() {
        #expect(AttachmentUpload.contentDisposition("工作方案.pdf")
            == "attachment; filename=\"____.pdf\"; filename*=UTF-8''%E5%B7%A5%E4%BD%9C%E6%96%B9%E6%A1%88.pdf")
    }
}
