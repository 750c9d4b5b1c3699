@testable import ArqamReview
import ArqamData
import ArqamOCR
import Foundation
import Testing

@Suite("Station update: keys and results → state and effects")
struct StationUpdateTests {
    private func order(_ state: StationState) -> [String] { state.ordered.map { state.items[$0].path } }

    private func recordEffect(_ effects: [StationEffect]) -> DecisionRequest? {
        for case .record(let request) in effects { return request }
        return nil
    }

    @Test func startsOnTheLeastConfidentUndecidedImage() {
        let state = sampleState()
        // Confidences 0.41 < 0.55 < 0.93, then the unread image, then decisions newest first.
        #expect(order(state) == ["0031.png", "0032.png", "0041.png", "0040-very-long-scanner-name.png", "0002.png", "0001.png"])
        #expect(state.current == "0031.png")
        #expect(state.doneCount == 2 && state.correctedCount == 1)
    }

    @Test func enterAsksToRecordThePredictionAndMovesOnlyOnceItIsStored() {
        var state = sampleState()
        let effects = send(&state, .key(.enter))
        #expect(recordEffect(effects) == DecisionRequest(path: "0031.png", contentHash: nil, status: .accepted,
                                                          label: "2024/05", prediction: "2024/05", confidence: 0.41))
        #expect(state.current == "0031.png")
        let after = send(&state, .recorded(decision(3, "0031.png", .accepted, label: "2024/05")))
        #expect(state.current == "0032.png")
        #expect(state.item("0031.png")?.decision == StandingDecision(id: 3, status: .accepted, label: "2024/05"))
        #expect(state.session.accepted == 1)
        #expect(order(state).suffix(3) == ["0031.png", "0002.png", "0001.png"])
        // The new image and the next ones are wanted; only the unread one needs the model.
        #expect(after == [.prefetch(readings: ["0040-very-long-scanner-name.png"],
                                    pictures: ["0032.png", "0041.png", "0040-very-long-scanner-name.png"])])
    }

    @Test func typingArabicIndicOrPersianDigitsStartsACorrectionInWesternDigits() {
        var state = sampleState()
        send(&state, .key(.character("٢")))
        #expect(state.mode == .editing(LabelEditor("2")))
        send(&state, [.key(.character("۰")), .key(.character("/")), .key(.character("9"))])
        #expect(state.mode == .editing(LabelEditor("20/9")))
        let effects = send(&state, .key(.enter))
        #expect(recordEffect(effects)?.status == .corrected)
        #expect(recordEffect(effects)?.label == "20/9")
    }

    @Test func shortcutsNeverFireWhileEditing() {
        var state = sampleState()
        send(&state, .key(.character("e")))
        let before = state.mode
        for key in ["s", "x", "u", "q", "j", "k", "o", "?", "1", "a"] {
            let effects = send(&state, .key(.character(Character(key))))
            #expect(effects.isEmpty, "\(key) acted while editing")
        }
        // "1" is a digit here, typed at the end; letters are refused.
        #expect(state.mode == .editing(LabelEditor("2024/051")))
        #expect(before == .editing(LabelEditor("2024/05")))
        #expect(state.message?.kind == .warning)
    }

    @Test func editingMovesTheCursorDeletesAndCancels() {
        var state = sampleState()
        send(&state, [.key(.character("e")), .key(.left), .key(.left), .key(.backspace), .key(.character("٩")), .key(.home),
                      .key(.delete)])
        // "2024/05", cursor 7 → 5; Backspace drops "/" (cursor 4); "٩" → "2024905" (cursor 5); Home; Delete drops "2".
        var expected = LabelEditor("024905")
        expected.cursor = 0
        #expect(state.mode == .editing(expected))
        let effects = send(&state, .key(.escape))
        #expect(effects.isEmpty)
        #expect(state.mode == .reviewing)
        #expect(state.current == "0031.png")
    }

    @Test func savingTheUnchangedPredictionCountsAsAccepted() {
        var state = sampleState()
        let effects = send(&state, .key(.character("e")), .key(.enter))
        #expect(recordEffect(effects)?.status == .accepted)
    }

    @Test func anEmptyLabelIsNotSaved() {
        var state = sampleState()
        send(&state, [.key(.character("5")), .key(.backspace)])
        #expect(send(&state, .key(.enter)).isEmpty)
        #expect(state.message?.kind == .warning)
    }

    @Test func numberKeysTakeTheAlternativesOtherThanThePrediction() {
        var state = sampleState()
        #expect(recordEffect(send(&state, .key(.character("1"))))?.label == "2024/06")
        #expect(recordEffect(send(&state, .key(.character("3"))))?.label == "224/05")
        #expect(recordEffect(send(&state, .key(.character("2"))))?.status == .corrected)
        send(&state, .key(.character("j")))
        // 0032's reading has no alternatives besides itself.
        #expect(send(&state, .key(.character("1"))).isEmpty)
        #expect(state.message?.text == "there is no alternative 1")
    }

    @Test func enterWithoutAPredictionAsksForTheLabel() {
        var state = sampleState()
        send(&state, .key(.character("/")), .key(.character("0")), .key(.character("0")), .key(.character("4")),
             .key(.character("0")), .key(.enter))
        #expect(state.current == "0040-very-long-scanner-name.png")
        #expect(send(&state, .key(.enter)).isEmpty)
        #expect(state.message?.text.hasPrefix("no prediction yet") == true)
    }

    @Test func skippedImagesComeBackOnceTheUndecidedOnesAreDone() {
        let files = ["a.png", "b.png"].map { QueueItem(path: $0, modifiedNanoseconds: 0, reading: sampleReading("1", confidence: 0.5)) }
        var state = StationState(queueName: "q", modelName: "m", files: files, history: [], startedAt: sessionStart)
        #expect(recordEffect(send(&state, .key(.character("s"))))?.status == .skipped)
        send(&state, .recorded(decision(1, "a.png", .skipped)))
        #expect(state.current == "b.png")
        send(&state, .recorded(decision(2, "b.png", .accepted, label: "1")))
        #expect(state.current == "a.png")
        #expect(!state.finished)
        send(&state, .recorded(decision(3, "a.png", .skipped)))
        #expect(state.current == nil)
        #expect(state.finished)
        #expect(state.session.skipped == 2 && state.session.accepted == 1 && state.session.reviewed == 1)
    }

    @Test func undoWithdrawsTheLastDecisionAndReturnsToItsImage() {
        var state = sampleState()
        send(&state, .recorded(decision(3, "0031.png", .corrected, label: "2024/06")))
        #expect(state.session.corrected == 1)
        #expect(send(&state, .key(.character("u"))) == [.withdraw(decisionID: 3)])
        send(&state, .withdrawn(decisionID: 3))
        #expect(state.current == "0031.png")
        #expect(state.item("0031.png")?.decision == nil)
        #expect(state.session.corrected == 0)
        // A second undo reaches into the earlier session, whose figures are not this session's.
        #expect(send(&state, .key(.character("u"))) == [.withdraw(decisionID: 2)])
        send(&state, .withdrawn(decisionID: 2))
        #expect(state.current == "0002.png")
        #expect(state.item("0002.png")?.decision == nil)
        #expect(state.session == SessionFigures(startedAt: sessionStart, lastDecisionAt: sessionStart.addingTimeInterval(60)))
        #expect(state.history.map(\.decisionID) == [1])
    }

    @Test func undoingAReDecisionRestoresTheEarlierOne() {
        var state = sampleState()
        send(&state, .recorded(decision(3, "0001.png", .unreadable)))
        send(&state, .withdrawn(decisionID: 3))
        #expect(state.item("0001.png")?.decision == StandingDecision(id: 1, status: .accepted, label: "2024/05/13"))
    }

    @Test func nothingToUndoSaysSo() {
        var state = StationState(queueName: "q", modelName: "m", files: [], history: [], startedAt: sessionStart)
        #expect(send(&state, .key(.character("u"))).isEmpty)
        #expect(state.message?.text == "nothing to undo")
    }

    @Test func aFailedStoreWriteChangesNothing() {
        var state = sampleState()
        let before = state
        send(&state, .storeFailed("disk full"))
        #expect(state.message == StationMessage(text: "not saved: disk full", kind: .warning))
        #expect(state.items == before.items && state.current == before.current && state.history == before.history)
    }

    @Test func orderCyclesAndKeepsTheImageOnScreen() {
        var state = sampleState()
        send(&state, .key(.character("o")))
        #expect(state.order == .fileName)
        #expect(order(state).prefix(4) == ["0031.png", "0032.png", "0040-very-long-scanner-name.png", "0041.png"])
        send(&state, .key(.character("o")))
        // Newest first by modification time: 0032 (6), 0040 (5), 0041 (4), 0031 (3).
        #expect(order(state).prefix(4) == ["0032.png", "0040-very-long-scanner-name.png", "0041.png", "0031.png"])
        #expect(state.current == "0031.png")
        send(&state, .key(.character("o")))
        #expect(state.order == .leastConfident)
    }

    @Test func predictionsArrivingRefineTheOrderButNotTheImageOnScreen() {
        var state = sampleState()
        send(&state, .readingsArrived([ReadingResult(path: "0040-very-long-scanner-name.png", contentHash: "h40",
                                                     outcome: .read(sampleReading("8", confidence: 0.2)))]))
        #expect(order(state).first == "0040-very-long-scanner-name.png")
        #expect(state.item("0040-very-long-scanner-name.png")?.contentHash == "h40")
        #expect(state.current == "0031.png")
    }

    /// A zooming reader's crop of the image on screen is asked for once its reading says where
    /// the digits are, and once only; a reader that does not zoom asks for none.
    @Test func theZoomedCropIsAskedForOnceTheReadingIsThere() {
        func zooms(_ effects: [StationEffect]) -> [StationEffect] {
            effects.filter { if case .loadZoomed = $0 { true } else { false } }
        }
        var plain = sampleState()
        #expect(zooms(send(&plain, .notice("a"))).isEmpty)

        var state = sampleState()
        state.showsZoomedPicture = true
        let trace = sampleReading("2024/05", confidence: 0.41).trace
        #expect(zooms(send(&state, .notice("a"))) == [.loadZoomed(path: "0031.png", trace: trace)])
        #expect(zooms(send(&state, .notice("b"))).isEmpty)
        send(&state, .zoomedPictureLoaded(path: "0031.png", .loaded(samplePicture())))
        #expect(state.zoomedPictures["0031.png"] == .loaded(samplePicture()))

        var unread = StationState(queueName: "q", modelName: "m", files: [QueueItem(path: "a.png", modifiedNanoseconds: 1)],
                                  history: [], startedAt: sessionStart)
        unread.showsZoomedPicture = true
        #expect(zooms(send(&unread, .notice("a"))).isEmpty)
        let reading = sampleReading("12", confidence: 0.5)
        let arrived = send(&unread, .readingsArrived([ReadingResult(path: "a.png", contentHash: nil, outcome: .read(reading))]))
        #expect(zooms(arrived) == [.loadZoomed(path: "a.png", trace: reading.trace)])
    }

    @Test func movingAndFindingAFile() {
        var state = sampleState()
        send(&state, .key(.down), .key(.character("j")))
        #expect(state.current == "0041.png")
        send(&state, .key(.up))
        #expect(state.current == "0032.png")
        send(&state, .key(.end))
        #expect(state.current == "0001.png")
        send(&state, [.key(.character("/"))] + keys("VERY") + [.key(.enter)])
        #expect(state.current == "0040-very-long-scanner-name.png")
        send(&state, [.key(.character("/"))] + keys("zzz") + [.key(.enter)])
        #expect(state.current == "0040-very-long-scanner-name.png")
        #expect(state.message?.text == "no file name contains \"zzz\"")
    }

    @Test func helpClosesOnAnyKeyWithoutActing() {
        var state = sampleState()
        send(&state, .key(.character("?")))
        #expect(state.mode == .help)
        #expect(send(&state, .key(.character("q"))).isEmpty)
        #expect(state.mode == .reviewing)
    }

    @Test func quitFromReviewingAndInterruptFromAnywhere() {
        var state = sampleState()
        #expect(send(&state, .key(.character("q"))) == [.quit])
        send(&state, .key(.character("e")))
        #expect(send(&state, .key(.interrupt)) == [.quit])
    }

    @Test func newFilesWakeAFinishedQueueAndARemovedImageMovesOn() {
        let files = [QueueItem(path: "a.png", modifiedNanoseconds: 0)]
        var state = StationState(queueName: "q", modelName: "m", files: files, history: [], startedAt: sessionStart)
        send(&state, .recorded(decision(1, "a.png", .unreadable)))
        #expect(state.finished)
        send(&state, .filesChanged(added: [QueueItem(path: "b.png", modifiedNanoseconds: 1)], removed: []))
        #expect(state.current == "b.png" && !state.finished)
        #expect(state.message?.text == "1 new image in the queue")
        send(&state, .filesChanged(added: [QueueItem(path: "c.png", modifiedNanoseconds: 2)], removed: ["b.png"]))
        #expect(state.current == "c.png")
        #expect(state.item("a.png")?.decision?.status == .unreadable)
    }

    @Test func aResumedQueueWithEveryImageDecidedIsFinished() {
        let files = [QueueItem(path: "a.png", modifiedNanoseconds: 0)]
        let history = [HistoryEntry(decisionID: 9, path: "a.png", status: .accepted, label: "1", thisSession: false)]
        let state = StationState(queueName: "q", modelName: "m", files: files, history: history, startedAt: sessionStart)
        #expect(state.finished && state.current == nil)
    }

    @Test func imagesPerHourCountsReviewedImagesOverTheSession() {
        var state = StationState(queueName: "q", modelName: "m",
                                 files: ["a.png", "b.png", "c.png"].map { QueueItem(path: $0, modifiedNanoseconds: 0) },
                                 history: [], startedAt: sessionStart)
        send(&state, .recorded(decision(1, "a.png", .unreadable, at: 600)))
        send(&state, .recorded(decision(2, "b.png", .skipped, at: 1200)))
        send(&state, .recorded(decision(3, "c.png", .corrected, label: "4", at: 1800)))
        // Two reviewed (skips do not count) in half an hour.
        #expect(state.session.imagesPerHour == 4)
    }

    @Test(arguments: [("2.png", "10.png", true), ("10.png", "2.png", false), ("a1b", "a01b", true), ("img9", "img10", true),
                      ("b.png", "a.png", false), ("scan", "scan1", true), ("x", "x", false), ("a0", "a00", true),
                      ("img2b", "img2a", false), ("007", "7", false)])
    func fileNamesSortAsPeopleSortThem(left: String, right: String, expected: Bool) {
        #expect(StationState.naturalLess(left, right) == expected)
    }
}

@Suite("Station order kept up to date")
struct StationOrderTests {
    /// Moving only the changed images must give exactly the order a full sort gives, and the
    /// running counts the counts of all items: checked after each of 300 random decisions,
    /// undos and readings.
    @Test func movingChangedImagesMatchesSortingAgain() {
        var seed: UInt64 = 42
        func random(_ bound: Int) -> Int {
            // Knuth's MMIX LCG; the high bits are the well-mixed ones.
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(seed >> 33) % bound
        }
        let files = (0..<200).map { index in
            QueueItem(path: "img\(index).png", modifiedNanoseconds: Int64(random(50)),
                      reading: random(4) == 0 ? nil : sampleReading("1", confidence: Double(random(20)) / 20))
        }
        var state = StationState(queueName: "q", modelName: "m", files: files, history: [], startedAt: sessionStart)
        var nextID: Int64 = 1
        for step in 0..<300 {
            let path = "img\(random(200)).png"
            switch random(4) {
            case 0:
                send(&state, .recorded(decision(nextID, path, [.accepted, .corrected, .unreadable, .skipped][random(4)], label: "1")))
                nextID += 1
            case 1:
                if let last = state.history.last { send(&state, .withdrawn(decisionID: last.decisionID)) }
            case 2:
                send(&state, .readingsArrived([ReadingResult(path: path, contentHash: nil,
                                                             outcome: .read(sampleReading("2", confidence: Double(random(20)) / 20)))]))
            default:
                if random(10) == 0 { send(&state, .key(.character("o"))) }
            }
            var sorted = state
            sorted.reorder()
            #expect(state.ordered == sorted.ordered, "order differs after step \(step)")
            // The header's running counts against counting every item.
            #expect(state.doneCount == state.items.count { $0.isDone }, "step \(step)")
            #expect(state.correctedCount == state.items.count { $0.decision?.status == .corrected }, "step \(step)")
            #expect(state.readCount == state.items.count { $0.reading != nil || $0.readingError != nil }, "step \(step)")
        }
    }
}
