/// Where everything goes on a screen of a given size.
struct StationLayout {
    static let minimumWidth = 54
    static let minimumHeight = 15
    /// Below this width the queue list is left out and the image gets the whole screen.
    static let widthForList = 78

    let size: ScreenSize
    let listWidth: Int
    let paneX: Int
    let paneWidth: Int
    let bodyTop = 1
    let bodyHeight: Int
    let cellsPerStep: Int
    let artRows: Int
    /// Rows beyond the ones the detail pane cannot do without.
    let spareRows: Int

    var showsList: Bool { listWidth > 0 }
    var separatorRow: Int { size.height - 3 }
    var keyRow: Int { size.height - 2 }

    /// nil when the screen is too small for the station.
    init?(size: ScreenSize) {
        guard size.width >= Self.minimumWidth, size.height >= Self.minimumHeight else { return nil }
        self.size = size
        listWidth = size.width >= Self.widthForList ? min(32, max(22, size.width / 5)) : 0
        paneX = listWidth > 0 ? listWidth + 2 : 1
        let paneWidth = size.width - paneX - 1
        let bodyHeight = size.height - 4
        self.paneWidth = paneWidth
        self.bodyHeight = bodyHeight
        // Art, trace, read, alternatives and label rows are always there.
        let fixedRows = 4
        guard let steps = (1...3).reversed().first(where: { cells in
            ModelPicture.steps * cells <= paneWidth - 2 && PictureArt.rows(cellsPerStep: cells) + fixedRows <= bodyHeight
        }) else { return nil }
        cellsPerStep = steps
        artRows = PictureArt.rows(cellsPerStep: steps)
        spareRows = bodyHeight - artRows - fixedRows
    }
}
