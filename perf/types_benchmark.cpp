// Encode and decode cost of the spec's success record (docs/record-format.md §13).
//
// Figures published for perf/run (see its header): record_encode_ns, record_decode_ns and
// record_json_bytes, and the baselines on the same text (issue 12) baseline_simdjson_parse_ns
// (simdjson DOM parse) and baseline_rapidjson_write_ns (RapidJSON Writer over a parsed Document),
// as user counters named "figure:<name>".
#include <forge/types/record_json.hpp>

#include <benchmark/benchmark.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <simdjson.h>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view success_record =
    R"json({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5},{"sku":"B-3","qty":1,"unitPrice":42}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40,"durationNs":40115800,"offsetNs":310200},"provenance":"live","seq":0}],"convertCurrency":[{"input":[81,"USD","EUR"],"output":74.52,"timing":{"startTime":1717000000051,"endTime":1717000000071,"duration":20,"durationNs":20384100,"offsetNs":40902000},"provenance":"live","seq":1}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042","currency":"EUR"},"metrics":[{"type":"business","name":"line_items","value":2},{"type":"performance","name":"fx_lookups","value":1}],"type":"success","output":{"customerId":"c-1042","currency":"EUR","total":74.52},"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62,"durationNs":61840500},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"})json";

// per_iteration_ns: a counter that perf/run reads as nanoseconds per iteration.
benchmark::Counter per_iteration_ns() {
    return benchmark::Counter(
        1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void bm_record_encode(benchmark::State& state) {
    const forge::execution_record record = forge::decode_record(success_record);
    std::string out;
    out.reserve(2048);
    for (auto _ : state) {
        out.clear();
        forge::encode_record(out, record);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(out.size()));
    state.counters["figure:record_encode_ns"] = per_iteration_ns();
    state.counters["figure:record_json_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(bm_record_encode);

// rapidjson_document: the record text parsed by RapidJSON (full-precision numbers, so the Writer
// writes back the same decimal digits).
rapidjson::Document rapidjson_document(std::string_view text) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
    return document;
}

// top_level_members: the member count of the JSON object `text`, or -1 when it is not one.
std::ptrdiff_t top_level_members(std::string_view text) {
    const rapidjson::Document document = rapidjson_document(text);
    if (document.HasParseError() || !document.IsObject()) return -1;
    return static_cast<std::ptrdiff_t>(document.MemberCount());
}

// Baseline for record_encode_ns: RapidJSON's Writer over a Document parsed from the same text,
// into a StringBuffer cleared and reused every iteration.
void bm_baseline_rapidjson_write(benchmark::State& state) {
    const rapidjson::Document document = rapidjson_document(success_record);
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    if (document.HasParseError() || !document.Accept(writer) ||
        top_level_members({buffer.GetString(), buffer.GetSize()}) !=
            top_level_members(success_record)) {
        state.SkipWithError("RapidJSON did not write the record's members back");
        return;
    }
    for (auto _ : state) {
        buffer.Clear();
        writer.Reset(buffer);
        document.Accept(writer);
        benchmark::DoNotOptimize(buffer.GetString());
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(buffer.GetSize()));
    state.counters["figure:baseline_rapidjson_write_ns"] = per_iteration_ns();
}
BENCHMARK(bm_baseline_rapidjson_write);

void bm_record_decode(benchmark::State& state) {
    for (auto _ : state) {
        forge::execution_record record = forge::decode_record(success_record);
        benchmark::DoNotOptimize(&record);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(success_record.size()));
    state.counters["figure:record_decode_ns"] = per_iteration_ns();
}
BENCHMARK(bm_record_decode);

// Baseline for record_decode_ns: simdjson's DOM parser, reused every iteration, over the same text
// copied once into simdjson's padded buffer. The label names simdjson's active implementation.
void bm_baseline_simdjson_parse(benchmark::State& state) {
    const simdjson::padded_string text(success_record);
    simdjson::dom::parser parser;
    for (auto _ : state) {
        simdjson::dom::element root;
        if (parser.parse(text).get(root) != simdjson::SUCCESS) {
            state.SkipWithError("simdjson did not parse the record text");
            break;
        }
        benchmark::DoNotOptimize(root);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(success_record.size()));
    state.SetLabel(std::string(simdjson::get_active_implementation()->name()));
    state.counters["figure:baseline_simdjson_parse_ns"] = per_iteration_ns();
}
BENCHMARK(bm_baseline_simdjson_parse);

void bm_json_parse(benchmark::State& state) {
    for (auto _ : state) {
        forge::json v = forge::parse_json(success_record);
        benchmark::DoNotOptimize(&v);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(success_record.size()));
}
BENCHMARK(bm_json_parse);

}  // namespace

BENCHMARK_MAIN();
