// The worked examples of docs/record-format.md §13, as compact single lines.
#pragma once

#include <string_view>

namespace forge::test {

// success_record: the §13 success example, extensions on.
inline constexpr std::string_view success_record =
    R"json({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5},{"sku":"B-3","qty":1,"unitPrice":42}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40,"durationNs":40115800,"offsetNs":310200},"provenance":"live","seq":0}],"convertCurrency":[{"input":[81,"USD","EUR"],"output":74.52,"timing":{"startTime":1717000000051,"endTime":1717000000071,"duration":20,"durationNs":20384100,"offsetNs":40902000},"provenance":"live","seq":1}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042","currency":"EUR"},"metrics":[{"type":"business","name":"line_items","value":2},{"type":"performance","name":"fx_lookups","value":1}],"type":"success","output":{"customerId":"c-1042","currency":"EUR","total":74.52},"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62,"durationNs":61840500},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"})json";

// success_record_ts: the same record from the TS-compat writer (extensions off).
inline constexpr std::string_view success_record_ts =
    R"json({"input":{"customerId":"c-1042","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-1042"],"output":[{"sku":"A-7","qty":2,"unitPrice":19.5},{"sku":"B-3","qty":1,"unitPrice":42}],"timing":{"startTime":1717000000010,"endTime":1717000000050,"duration":40}}],"convertCurrency":[{"input":[81,"USD","EUR"],"output":74.52,"timing":{"startTime":1717000000051,"endTime":1717000000071,"duration":20}}]},"taskName":"invoice:total","metadata":{"customerId":"c-1042","currency":"EUR"},"metrics":[{"type":"business","name":"line_items","value":2},{"type":"performance","name":"fx_lookups","value":1}],"type":"success","output":{"customerId":"c-1042","currency":"EUR","total":74.52},"timing":{"startTime":1717000000010,"endTime":1717000000072,"duration":62},"uuid":"018fc52c-d20a-7b3e-9c41-5d2a8e6f0b17"})json";

// error_record: the §13 task-function error example, extensions on.
inline constexpr std::string_view error_record =
    R"json({"input":{"customerId":"c-2001","currency":"EUR"},"boundaries":{"loadInvoiceLines":[{"input":["c-2001"],"output":[{"sku":"C-9","qty":3,"unitPrice":12.25}],"timing":{"startTime":1717000003417,"endTime":1717000003456,"duration":39,"durationNs":38900000,"offsetNs":280000},"provenance":"live","seq":0}],"convertCurrency":[{"input":[36.75,"USD","EUR"],"error":"FX service unreachable: connection refused","timing":{"startTime":1717000003457,"endTime":1717000003462,"duration":5,"durationNs":5012300,"offsetNs":39500000},"provenance":"live","seq":1,"errorCategory":"network"}]},"taskName":"invoice:total","metadata":{"customerId":"c-2001"},"metrics":[{"type":"business","name":"line_items","value":1}],"type":"error","error":"FX service unreachable: connection refused","timing":{"startTime":1717000003417,"endTime":1717000003462,"duration":45,"durationNs":45300000},"uuid":"018fc52c-df59-7a10-8f22-c04b1e9d3a65","errorCategory":"network"})json";

// validation_record: the §13 validation error example.
inline constexpr std::string_view validation_record =
    R"json({"input":{"customerId":"c-1042","currency":7},"boundaries":{"loadInvoiceLines":[],"convertCurrency":[]},"taskName":"invoice:total","metadata":{},"metrics":[],"type":"error","error":"Invalid input on: currency: Invalid input: expected string, received number","uuid":"018fc52c-e1a0-7c55-a3d4-6b0e2f917c08","errorCategory":"validation"})json";

}  // namespace forge::test
