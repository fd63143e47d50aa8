// A table of routes (method, path pattern, handler) for the hive server (docs/hive-api.md §3).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace forge::hive_server::detail {

// route_params: the values of a pattern's "{name}" segments, in pattern order.
using route_params = std::vector<std::string>;

// route_table
//
// Routes in the order added. A pattern is a path split at '/', e.g.
// "/api/tasks/{taskName}/logs/{uuid}": a segment "{...}" matches any one decoded segment and is
// captured; any other segment matches itself exactly. match() returns the first route whose
// method and pattern fit. Adding is not thread-safe; matching is (const, no lock). Cost of a
// match: one pass over the routes, comparing segments, plus one string copy per captured value.
template <class Handler>
class route_table {
public:
    struct route {
        std::string method;
        std::vector<std::string> pattern;
        Handler handler;
    };

    // found: the matched route (nullptr when none) and its captured values.
    struct found {
        const route* matched = nullptr;
        route_params params;
    };

    // add: appends a route. pattern must start with '/'.
    void add(std::string method, std::string_view pattern, Handler handler) {
        route r{std::move(method), {}, std::move(handler)};
        std::size_t pos = 1;
        while (pos <= pattern.size()) {
            auto end = pattern.find('/', pos);
            if (end == std::string_view::npos) end = pattern.size();
            if (end > pos) r.pattern.emplace_back(pattern.substr(pos, end - pos));
            pos = end + 1;
        }
        routes_.push_back(std::move(r));
    }

    // match: the first route for method and the decoded path segments. A path that fits a
    // pattern under another method is no match (the server answers 404 for both).
    found match(std::string_view method, const std::vector<std::string>& segments) const {
        found out;
        for (const auto& r : routes_) {
            if (r.method != method || r.pattern.size() != segments.size()) continue;
            out.params.clear();
            bool ok = true;
            for (std::size_t i = 0; ok && i < segments.size(); ++i) {
                const auto& p = r.pattern[i];
                if (p.size() >= 2 && p.front() == '{' && p.back() == '}') {
                    out.params.push_back(segments[i]);
                } else {
                    ok = p == segments[i];
                }
            }
            if (ok) {
                out.matched = &r;
                return out;
            }
        }
        out.params.clear();
        return out;
    }

private:
    std::vector<route> routes_;
};

}  // namespace forge::hive_server::detail
