#pragma once

#include "core/util/result.h"

#include <QStringList>

#include <vector>

namespace saccade {

/// One parsed CSV record and the 1-based line it starts on.
struct CsvRecord {
    int line = 0;
    QStringList fields;
};

/// A strict RFC 4180 reader: comma (or another) separator, double-quoted fields with doubled quotes,
/// quoted line breaks, CRLF or LF. Errors name the file, line and column. Blank lines are skipped.
class CsvReader {
public:
    static Result<std::vector<CsvRecord>> parse(const QString& text, const QString& path,
                                                QChar separator = QLatin1Char(','));
};

} // namespace saccade
