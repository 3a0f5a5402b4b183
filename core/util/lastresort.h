#pragma once

namespace saccade {

/// Installs a terminate handler that turns an exception nobody caught (on any thread) into one clear
/// line on stderr before the process aborts: "PROGRAM: out of memory (...)" for std::bad_alloc, the
/// exception's text otherwise. A last resort: parsers bound what they allocate, so reaching it means
/// a bug or a machine that really ran out of memory. `program` must outlive the process.
void installLastResortHandler(const char* program);

/// The line the handler prints for the exception being handled now (for callers that catch it).
const char* describeCurrentException();

} // namespace saccade
