#include "core/util/lastresort.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <unistd.h>

namespace saccade {

namespace {

const char* g_program = "saccade";

void writeError(const char* text) {
    // write(2) only: the heap may be exhausted, so no streams or QString here.
    auto put = [](const char* part) {
        (void)!::write(STDERR_FILENO, part, std::strlen(part));
    };
    put(g_program);
    put(": ");
    put(text);
    put("\n");
}

[[noreturn]] void onTerminate() {
    writeError(std::current_exception() ? describeCurrentException() : "terminated without an exception");
    std::abort();
}

} // namespace

const char* describeCurrentException() {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        return "out of memory (an allocation failed; the input may declare absurd sizes, or the machine "
               "has too little memory for it)";
    } catch (const std::exception& error) {
        return error.what();
    } catch (...) {
        return "unexpected error of unknown type";
    }
}

void installLastResortHandler(const char* program) {
    g_program = program;
    std::set_terminate(onTerminate);
}

} // namespace saccade
