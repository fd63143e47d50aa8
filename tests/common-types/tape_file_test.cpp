#include "file_text.hpp"
#include "spec_examples.hpp"
#include "temp_dir.hpp"

#include <forge/types/record_json.hpp>
#include <forge/types/tape_file.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using forge::execution_record;

using forge::test::slurp;
using forge::test::spit;

TEST_CASE("read_tape accepts CRLF and skips blank lines", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    spit(path, "\r\n" + std::string(forge::test::success_record) + "\r\n   \n\t\n" +
                   std::string(forge::test::validation_record) + "\n");
    auto tape = forge::read_tape(path);
    REQUIRE(tape.records.size() == 2);
    CHECK(tape.skipped_lines == 0);
    CHECK(forge::to_json_text(tape.records[0]) == forge::test::success_record);
    CHECK(forge::to_json_text(tape.records[1]) == forge::test::validation_record);
}

TEST_CASE("a bad line fails the load with path and 1-based line number", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    spit(path, std::string(forge::test::success_record) + "\n\n{\"type\":5}\n");
    try {
        (void)forge::read_tape(path);
        FAIL("no error");
    } catch (const forge::tape_error& e) {
        CHECK(std::string(e.what()) == path.string() + ":3: type: expected string");
    }
}

TEST_CASE("skip_invalid skips and counts bad lines", "[tape]") {
    auto tape = forge::parse_tape(
        "{\"type\":\"success\"}\nnot json\n[1]\n{\"type\":\"error\",\"error\":\"x\"}", "mem",
        forge::tape_read_options{true});
    CHECK(tape.records.size() == 2);
    CHECK(tape.skipped_lines == 2);
    CHECK_THROWS_WITH(forge::parse_tape("{}\nnot json\n", "mem"),
                      Catch::Matchers::StartsWith("mem:2: offset 0:"));
}

TEST_CASE("append_to_tape adds one line per record and creates the file", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "a.log";
    auto r = forge::decode_record(forge::test::success_record);
    forge::append_to_tape(path, std::vector<execution_record>{r});
    forge::append_to_tape(path, std::vector<execution_record>{r, r});
    std::string line = std::string(forge::test::success_record) + "\n";
    CHECK(slurp(path) == line + line + line);
    CHECK(forge::read_tape(path).records.size() == 3);
}

TEST_CASE("append_to_tape appends a missing type at the end of the line", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "a.log";
    execution_record r;
    r.input = forge::json::object();
    r.output = forge::json(1);
    forge::append_to_tape(path, std::vector<execution_record>{r});
    CHECK(slurp(path) ==
          "{\"input\":{},\"boundaries\":{},\"metadata\":{},\"metrics\":[],\"output\":1,\"type\":"
          "\"success\"}\n");
}

TEST_CASE("a read record keeps its keys on a tape; a missing type and metadata are appended",
          "[tape][passthrough]") {
    forge::test::temp_dir dir;
    auto path = dir / "p.log";
    const std::string complete =
        R"({"input":{"a":1},"output":2,"boundaries":{},"taskName":"t","type":"success","metadata":{}})";
    auto records = std::vector<execution_record>{
        forge::decode_record(complete),
        forge::decode_record(R"({"output":2,"input":{"a":1},"x":0})"),
        forge::decode_record(R"({"type":null,"output":2,"metadata":null,"error":null})")};
    forge::append_to_tape(path, records, forge::encode_options{false});
    CHECK(slurp(path) == complete + "\n" +
                             R"({"output":2,"input":{"a":1},"x":0,"type":"success","metadata":{}})"
                             "\n"
                             R"({"type":"success","output":2,"metadata":{},"error":null})"
                             "\n");
    CHECK(forge::read_tape(path).records.size() == 3);
}

TEST_CASE("the TS-compat writer option reaches the tape", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "ts.log";
    auto r = forge::decode_record(forge::test::success_record);
    forge::append_to_tape(path, std::vector<execution_record>{r}, forge::encode_options{false});
    CHECK(slurp(path) == std::string(forge::test::success_record_ts) + "\n");
}

TEST_CASE("write_tape_atomically replaces the file and leaves no temporary", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "w.log";
    spit(path, "old contents\n");
    auto r = forge::decode_record(forge::test::error_record);
    forge::write_tape_atomically(path, std::vector<execution_record>{r, r});
    std::string line = std::string(forge::test::error_record) + "\n";
    CHECK(slurp(path) == line + line);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);
    forge::write_tape_atomically(path, std::vector<execution_record>{});
    CHECK(slurp(path).empty());
}

TEST_CASE("a missing parent directory is an error naming the path", "[tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "missing" / "t.log";
    auto r = forge::decode_record(forge::test::success_record);
    CHECK_THROWS_WITH(
        forge::append_to_tape(path, std::vector<execution_record>{r}),
        Catch::Matchers::Contains(path.string()) && Catch::Matchers::Contains("parent directory"));
    CHECK_THROWS_WITH(
        forge::write_tape_atomically(path, std::vector<execution_record>{r}),
        Catch::Matchers::Contains(path.string()) && Catch::Matchers::Contains("parent directory"));
    CHECK_THROWS_WITH(forge::read_tape(path), Catch::Matchers::StartsWith(path.string()));
}
