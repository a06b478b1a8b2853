import Testing
@testable import Distill

/// `--max-input-size` values and the sizes messages show, against sizes worked out by hand.
struct ByteCountTests {
    @Test func sizesReadInPowersOf1024() {
        #expect(ByteCount.parse("8G") == 8 * 1_073_741_824)
        #expect(ByteCount.parse("500M") == 500 * 1_048_576)
        #expect(ByteCount.parse("1.5k") == 1536)
        #expect(ByteCount.parse("2TB") == 2 * 1_099_511_627_776)
        #expect(ByteCount.parse("4096") == 4096)
        #expect(ByteCount.parse(" 3mb ") == 3 * 1_048_576)
        for refused in ["0", "-1", "1e3", "10x", "", "G", "nan", "inf", "0.4", "99999999999T"] {
            #expect(ByteCount.parse(refused) == nil, "\(refused)")
        }
    }

    @Test func sizesShowInTheLargestWholeUnit() {
        #expect(ByteCount.text(3828) == "3.7 KB")
        #expect(ByteCount.text(1023) == "1023 bytes")
        #expect(ByteCount.text(6 * 1_073_741_824) == "6.0 GB")
        #expect(ByteCount.text(1_572_864) == "1.5 MB")
    }
}
