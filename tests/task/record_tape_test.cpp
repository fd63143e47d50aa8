#include "file_text.hpp"
#include "temp_dir.hpp"

#include <forge/task/record_tape.hpp>
#include <forge/task/task.hpp>
#include <forge/types/json_text.hpp>
#include <forge/types/record_json.hpp>
#include <forge/types/tape_file.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using forge::execution_record;
using forge::record_tape;

namespace {

using forge::test::slurp;
using forge::test::spit;

// run_record: a finished run as forge writes it, told apart by its output.
execution_record run_record(int n) {
    execution_record r;
    r.input = forge::json::object({{"n", n}});
    forge::boundary_record call;
    call.input = forge::json::array({n});
    call.output = forge::json(n * 10);
    r.boundaries = {{"fetch", {call}}};
    r.task_name = "t";
    r.type = forge::record_type::success;
    r.output = forge::json(n);
    return r;
}

std::string line_of(const execution_record& r) { return forge::to_tape_line(r) + "\n"; }

std::vector<forge::json> outputs(const record_tape& tape) {
    std::vector<forge::json> out;
    for (const auto& r : tape.records()) out.push_back(r.output.value_or(forge::json("none")));
    return out;
}

}  // namespace

TEST_CASE("record_tape loads a missing file as an empty tape and save creates it",
          "[record_tape]") {
    forge::test::temp_dir dir;
    record_tape tape(dir / "runs");
    tape.load();
    CHECK(tape.size() == 0);
    CHECK(tape.skipped_lines() == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "runs"));
    CHECK(tape.path() == dir / "runs");
    tape.save();
    CHECK(std::filesystem::exists(dir / "runs"));
    CHECK(slurp(dir / "runs").empty());
}

TEST_CASE("record_tape round-trips pushed records through its file", "[record_tape]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    {
        record_tape tape(path);
        tape.push(run_record(1));
        tape.push(run_record(2));
        CHECK(tape.size() == 2);
        tape.save();
    }
    CHECK(slurp(path) == line_of(run_record(1)) + line_of(run_record(2)));
    record_tape again(path);
    again.load();
    CHECK(again.records() == std::vector<execution_record>{run_record(1), run_record(2)});
}

TEST_CASE("record_tape push merges metadata over the record's own", "[record_tape]") {
    forge::test::temp_dir dir;
    record_tape tape(dir / "t.log");
    auto r = run_record(1);
    r.metadata = {{"a", "1"}, {"b", "2"}};
    tape.push(r, {{"c", "3"}, {"b", "caller"}});
    tape.push(run_record(2));
    auto records = tape.records();
    CHECK(records[0].metadata == forge::json_object{{"a", "1"}, {"b", "caller"}, {"c", "3"}});
    CHECK(records[1].metadata.empty());
    tape.save();
    record_tape again(dir / "t.log");
    again.load();
    CHECK(again.records()[0].metadata == records[0].metadata);
}

TEST_CASE("record_tape push gives a record without type its classified type, as a tape line",
          "[record_tape]") {
    forge::test::temp_dir dir;
    record_tape tape(dir / "t.log");
    execution_record built;
    built.input = forge::json::object();
    built.output = forge::json(1);
    tape.push(built);
    execution_record failed;
    failed.error = "";
    tape.push(failed);
    tape.push(execution_record{});
    // One classification rule: error:null is no error (TS RecordTape.push differs).
    auto read = forge::decode_record(R"({"output":2,"input":{"a":1},"x":0,"error":null})");
    tape.push(read);

    auto records = tape.records();
    CHECK(records[0].type == forge::record_type::success);
    CHECK(records[1].type == forge::record_type::error);
    CHECK(records[2].type == forge::record_type::pending);
    CHECK(records[3].type == forge::record_type::success);

    tape.save();
    auto appended = dir / "appended.log";
    forge::append_to_tape(appended, std::vector<execution_record>{built, failed, {}, read});
    CHECK(slurp(dir / "t.log") == slurp(appended));
    CHECK(slurp(dir / "t.log") ==
          "{\"input\":{},\"boundaries\":{},\"metadata\":{},\"metrics\":[],\"output\":1,"
          "\"type\":\"success\"}\n"
          "{\"boundaries\":{},\"metadata\":{},\"metrics\":[],\"error\":\"\",\"type\":\"error\"}\n"
          "{\"boundaries\":{},\"metadata\":{},\"metrics\":[],\"type\":\"pending\"}\n"
          "{\"output\":2,\"input\":{\"a\":1},\"x\":0,\"error\":null,\"type\":\"success\","
          "\"metadata\":{}}\n");
}

TEST_CASE("record_tape keeps records with a type and metadata as they are", "[record_tape]") {
    forge::test::temp_dir dir;
    record_tape tape(dir / "t.log");
    auto r = run_record(3);
    r.type = forge::record_type::error;
    tape.push(r);
    CHECK(tape.records()[0].type == forge::record_type::error);
    CHECK(tape.records()[0] == r);
}

TEST_CASE("record_tape max_records keeps the last records pushed", "[record_tape][trim]") {
    forge::test::temp_dir dir;
    record_tape tape(dir / "t.log", forge::record_tape_options{2, false});
    for (int i = 1; i <= 5; ++i) tape.push(run_record(i));
    CHECK(tape.size() == 2);
    CHECK(outputs(tape) == std::vector<forge::json>{4, 5});
    tape.save();
    CHECK(slurp(dir / "t.log") == line_of(run_record(4)) + line_of(run_record(5)));
}

TEST_CASE("record_tape max_records keeps the last records of the file and save rewrites it",
          "[record_tape][trim]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    std::string text;
    for (int i = 1; i <= 5; ++i) text += line_of(run_record(i));
    spit(path, text);
    record_tape tape(path, forge::record_tape_options{3, false});
    tape.load();
    CHECK(outputs(tape) == std::vector<forge::json>{3, 4, 5});
    tape.save();
    CHECK(slurp(path) == line_of(run_record(3)) + line_of(run_record(4)) + line_of(run_record(5)));
}

TEST_CASE("record_tape save appends only the lines pushed since the last load or save",
          "[record_tape][save]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    // CRLF, a blank line and spacing survive only if the file is appended to, not rewritten.
    const std::string original = "\r\n{ \"output\": 1, \"type\": \"success\" }\r\n\n";
    spit(path, original);
    record_tape tape(path, forge::record_tape_options{10, false});
    tape.load();
    REQUIRE(tape.size() == 1);
    tape.push(run_record(2));
    tape.save();
    CHECK(slurp(path) == original + line_of(run_record(2)));
    tape.save();
    CHECK(slurp(path) == original + line_of(run_record(2)));
    tape.push(run_record(3));
    tape.push(run_record(4));
    tape.save();
    CHECK(slurp(path) ==
          original + line_of(run_record(2)) + line_of(run_record(3)) + line_of(run_record(4)));
}

TEST_CASE("record_tape save rewrites the file atomically once a record was dropped",
          "[record_tape][save][trim]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    const std::string original =
        "{ \"output\": 1, \"type\": \"success\" }\n" + line_of(run_record(2));
    spit(path, original);
    record_tape tape(path, forge::record_tape_options{2, false});
    tape.load();
    tape.push(run_record(3));
    tape.save();
    CHECK(slurp(path) == line_of(run_record(2)) + line_of(run_record(3)));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
    CHECK(files == 1);
    tape.push(run_record(4));
    tape.push(run_record(5));
    tape.save();
    CHECK(slurp(path) == line_of(run_record(4)) + line_of(run_record(5)));
}

TEST_CASE("record_tape save without a load appends to the file and keeps its records",
          "[record_tape][save]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    spit(path, line_of(run_record(1)));
    record_tape tape(path);
    tape.push(run_record(2));
    tape.save();
    CHECK(slurp(path) == line_of(run_record(1)) + line_of(run_record(2)));
    tape.push(run_record(3));
    tape.save();
    tape.save();
    CHECK(slurp(path) == line_of(run_record(1)) + line_of(run_record(2)) + line_of(run_record(3)));
    CHECK(tape.size() == 2);
}

TEST_CASE("record_tape save without a load retries a failed append", "[record_tape][save]") {
    forge::test::temp_dir dir;
    auto path = dir / "missing" / "t.log";
    record_tape tape(path);
    tape.push(run_record(1));
    CHECK_THROWS_AS(tape.save(), forge::tape_error);
    std::filesystem::create_directory(dir / "missing");
    tape.save();
    CHECK(slurp(path) == line_of(run_record(1)));
}

TEST_CASE("record_tape load fails on a bad line with path and line, loading nothing",
          "[record_tape][hostile]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    record_tape tape(path);
    tape.push(run_record(7));
    spit(path, line_of(run_record(1)) + "\n{\"type\":5}\n" + line_of(run_record(2)));
    try {
        tape.load();
        FAIL("no error");
    } catch (const forge::tape_error& e) {
        CHECK(std::string(e.what()) == path.string() + ":3: type: expected string");
    }
    CHECK(tape.size() == 1);
    CHECK(tape.records()[0] == run_record(7));
    CHECK(tape.skipped_lines() == 0);
    spit(path, "not json\n");
    CHECK_THROWS_WITH(tape.load(),
                      path.string() + ":1: offset 0: invalid literal, expected 'null'");
    CHECK(tape.size() == 1);
}

TEST_CASE("record_tape skip_invalid skips and counts bad lines, which stay in the file",
          "[record_tape][hostile]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    const std::string original =
        line_of(run_record(1)) + "not json\n[1]\n" + line_of(run_record(2)) + "{\"type\":5}";
    spit(path, original + "\n");
    record_tape tape(path, forge::record_tape_options{0, true});
    tape.load();
    CHECK(tape.skipped_lines() == 3);
    CHECK(outputs(tape) == std::vector<forge::json>{1, 2});
    tape.push(run_record(3));
    tape.save();
    CHECK(slurp(path) == original + "\n" + line_of(run_record(3)));
}

TEST_CASE("record_tape save names the path when the parent directory is missing",
          "[record_tape][hostile]") {
    forge::test::temp_dir dir;
    auto path = dir / "missing" / "t.log";
    record_tape tape(path);
    tape.load();
    tape.push(run_record(1));
    CHECK_THROWS_AS(tape.save(), forge::tape_error);
    CHECK_THROWS_WITH(tape.save(), Catch::Matchers::Contains(path.string()) &&
                                       Catch::Matchers::Contains("parent directory"));
    CHECK(tape.size() == 1);
    std::filesystem::create_directory(dir / "missing");
    tape.save();
    CHECK(slurp(path) == line_of(run_record(1)));
}

TEST_CASE("record_tape load of a directory is a tape_error naming it", "[record_tape][hostile]") {
    forge::test::temp_dir dir;
    record_tape tape(dir.path());
    CHECK_THROWS_WITH(tape.load(), Catch::Matchers::StartsWith(dir.path().string()));
}

TEST_CASE("record_tape passes TS records through to the same bytes after a rewrite",
          "[record_tape][passthrough]") {
    forge::test::temp_dir dir;
    auto path = dir / "ts.log";
    const std::vector<std::string> lines{
        // explicit nulls, no metrics key
        R"({"input":{"a":1},"boundaries":{"f":[{"input":[1],"output":null,"error":null}]},)"
        R"("taskName":"t","metadata":{},"type":"success","output":null,"error":null})",
        // odd key order, unknown keys at both levels, an entry with timing {}
        R"({"type":"error","taskName":"t","error":"boom","x-trace":{"id":[1,2]},"input":"s",)"
        R"("metadata":{"k":"v"},"boundaries":{"g":[{"z":true,"input":[],"timing":{},"error":"e"}]}})",
        // TS replay order: timing before type
        R"({"input":{},"boundaries":{"f":[]},"taskName":"t","metadata":{},"metrics":[],)"
        R"("timing":{"startTime":1,"endTime":3,"duration":2},"type":"success","output":[1,"two"]})",
        // TS run order with metrics and timing
        R"({"input":[],"boundaries":{},"taskName":"u","metadata":{},"metrics":[{"type":"business",)"
        R"("name":"n","value":1.5}],"type":"success","output":{},"timing":{"startTime":5,)"
        R"("endTime":5,"duration":0}})"};
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    spit(path, line_of(run_record(0)) + text);

    record_tape tape(path, forge::record_tape_options{4, false});
    tape.load();
    REQUIRE(tape.size() == 4);
    tape.save();
    CHECK(slurp(path) == text);

    tape.push(run_record(9));
    tape.save();
    std::string expected;
    for (std::size_t i = 1; i < lines.size(); ++i) expected += lines[i] + "\n";
    CHECK(slurp(path) == expected + line_of(run_record(9)));
}

TEST_CASE("record_tape compile merges every record's boundaries as TS compileCache",
          "[record_tape][compile]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    spit(path,
         R"({"boundaries":{"fetchPrice":[{"input":["A"],"output":1},{"input":["B"],"output":2}],)"
         R"("fetchHoldings":{"input":["ada"],"output":["A","B"]}},"type":"success","metadata":{}})"
         "\n"
         R"({"boundaries":{"audit":[],"fetchPrice":[{"input":["C"],"error":"down"}]},)"
         R"("type":"error","error":"down","metadata":{}})"
         "\n");
    record_tape tape(path);
    tape.load();
    tape.push(run_record(1));
    auto cache = tape.compile();
    CHECK(
        forge::to_json_text(cache.to_json()) ==
        R"({"fetchPrice":[{"input":["A"],"output":1},{"input":["B"],"output":2},)"
        R"({"input":["C"],"error":"down"}],"fetchHoldings":[{"input":["ada"],"output":["A","B"]}],)"
        R"("audit":[],"fetch":[{"input":[1],"output":10}]})");
    CHECK(cache == forge::tape::from_records(tape.records()));
    CHECK(record_tape(dir / "none").compile() == forge::tape{});
}

TEST_CASE("record_tape listener records every run of a task", "[record_tape][listener]") {
    forge::test::temp_dir dir;
    auto path = dir / "quote.log";
    auto price = forge::boundary("fetchPrice", [](const std::string& t) {
        if (t.empty()) throw std::runtime_error("no ticker");
        return 100.0 + static_cast<double>(t.size());
    });
    forge::task quote(
        "quote", forge::boundaries(price),
        [&](const std::string& ticker, forge::run& run) { return run(price, ticker); });
    record_tape tape(path);
    {
        auto h = quote.add_listener(tape.listener());
        CHECK(quote.safe_run(std::string("AAPL")).ok());
        CHECK_FALSE(quote.safe_run(std::string()).ok());
    }
    CHECK(quote.safe_run(std::string("MSFT")).ok());
    REQUIRE(tape.size() == 2);
    auto records = tape.records();
    CHECK(records[0].task_name == "quote");
    CHECK(records[0].type == forge::record_type::success);
    CHECK(records[0].output == forge::json(104.0));
    CHECK(records[1].type == forge::record_type::error);
    CHECK(records[1].error == "no ticker");

    tape.save();
    record_tape again(path);
    again.load();
    CHECK(again.records() == records);
    auto cache = again.compile();
    REQUIRE(cache.find("fetchPrice") != nullptr);
    REQUIRE(cache.find("fetchPrice")->size() == 2);
    CHECK(cache.find("fetchPrice")->at(0).input == forge::json::array({"AAPL"}));
    CHECK(cache.find("fetchPrice")->at(1).error == "no ticker");
}

TEST_CASE("record_tape push, save and records may run on several threads at once",
          "[record_tape][concurrency]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    record_tape tape(path);
    tape.load();
    constexpr int threads = 4;
    constexpr int per_thread = 50;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&tape, t] {
            for (int i = 0; i < per_thread; ++i) {
                tape.push(run_record(t * per_thread + i));
                if (i % 10 == 0) tape.save();
                (void)tape.records();
            }
        });
    }
    for (auto& th : pool) th.join();
    tape.save();
    CHECK(tape.size() == threads * per_thread);
    record_tape again(path);
    again.load();
    auto records = again.records();
    REQUIRE(records.size() == static_cast<std::size_t>(threads * per_thread));
    std::vector<int> seen(threads * per_thread, 0);
    for (const auto& r : records) ++seen[static_cast<std::size_t>(r.output->as_int64())];
    CHECK(std::count(seen.begin(), seen.end(), 1) == threads * per_thread);
}

TEST_CASE("record_tape with max_records stays consistent under concurrent pushes and saves",
          "[record_tape][concurrency][trim]") {
    forge::test::temp_dir dir;
    auto path = dir / "t.log";
    record_tape tape(path, forge::record_tape_options{7, false});
    std::vector<std::thread> pool;
    for (int t = 0; t < 3; ++t) {
        pool.emplace_back([&tape, t] {
            for (int i = 0; i < 40; ++i) {
                tape.push(run_record(t * 40 + i));
                if (i % 7 == 0) tape.save();
            }
        });
    }
    for (auto& th : pool) th.join();
    tape.save();
    record_tape again(path);
    again.load();
    CHECK(again.records() == tape.records());
    CHECK(again.size() == 7);
}
