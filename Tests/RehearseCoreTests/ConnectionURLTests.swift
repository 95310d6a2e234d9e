import Testing
@testable import RehearseCore

@Suite struct ConnectionURLTests {
    @Test(arguments: [
        "postgresql://app:p@ss/w0rd@x@db.example:5432/shop",
        "postgresql://app:p@ss/w0rd@x@/shop?host=/tmp",
        "mongodb://root:p@ss/w0rd@x@127.0.0.1:27017/?authSource=admin",
        "postgres://:p@ss/w0rd@x@h",
    ])
    func credentialsAreMaskedWhateverTheirShape(url: String) {
        let message = "cannot reach \(url): timeout; retry \"\(url)\""
        let masked = ConnectionURL.masked(message)
        #expect(!masked.contains("p@ss"))
        #expect(!masked.contains("w0rd"))
        #expect(masked.contains("://***@"))
    }

    @Test func textWithoutCredentialsIsUnchanged() {
        #expect(ConnectionURL.masked("see https://example.com/docs and host:5432/db") == "see https://example.com/docs and host:5432/db")
    }

    @Test func credentialsAreSplitAtTheLastAtSignAndEncoded() {
        #expect(ConnectionURL.normalizingCredentials("postgresql://app:p@ss/w0rd@x@db:5432/shop") == "postgresql://app:p%40ss%2Fw0rd%40x@db:5432/shop")
        #expect(ConnectionURL.normalizingCredentials("postgresql://app:already%40encoded@db/shop") == "postgresql://app:already%40encoded@db/shop")
        #expect(ConnectionURL.normalizingCredentials("postgresql://db/shop?application_name=a@b") == "postgresql://db/shop?application_name=a@b")
        #expect(ConnectionURL.normalizingCredentials("postgresql://app:Pa%zz@db/shop") == "postgresql://app:Pa%zz@db/shop")
        #expect(ConnectionURL.normalizingCredentials("host=db dbname=shop") == "host=db dbname=shop")
        #expect(ConnectionURL.normalizingCredentials("postgresql://app@db/shop") == "postgresql://app@db/shop")
    }
}

@Suite struct DurationTextTests {
    @Test func parsesTheUsualSpellings() {
        #expect(DurationText.seconds("90s") == 90)
        #expect(DurationText.seconds("5m") == 300)
        #expect(DurationText.seconds("1h") == 3600)
        #expect(DurationText.seconds("500ms") == 0.5)
        #expect(DurationText.seconds("2") == 2)
        #expect(DurationText.seconds("0") == 0)
        for bad in ["", "m", "5x", "-1s", "1e3s", "five", "5 m s", "nan", "infs"] {
            #expect(DurationText.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func formatsTheShortestExactSpelling() {
        #expect(DurationText.format(300) == "5m")
        #expect(DurationText.format(60) == "1m")
        #expect(DurationText.format(3600) == "1h")
        #expect(DurationText.format(90) == "90s")
        #expect(DurationText.format(0.5) == "500ms")
        #expect(DurationText.format(1) == "1s")
        #expect(DurationText.format(0) == "0s")
    }
}
