#include "core/export/csvreader.h"

namespace saccade {

namespace {

Error csvError(const QString& path, int line, int column, const QString& problem) {
    return Error::invalidData(
        path, QStringLiteral("malformed CSV at line %1, column %2: %3").arg(line).arg(column).arg(problem));
}

} // namespace

Result<std::vector<CsvRecord>> CsvReader::parse(const QString& text, const QString& path, QChar separator) {
    std::vector<CsvRecord> records;
    CsvRecord record;
    QString field;
    bool quoted = false;
    bool afterQuote = false;
    bool fieldStarted = false;
    int line = 1;
    int column = 0;
    int quoteLine = 0;
    int quoteColumn = 0;
    record.line = 1;
    auto endField = [&] {
        record.fields << field;
        field.clear();
        afterQuote = false;
        fieldStarted = false;
    };
    auto endRecord = [&] {
        const bool blank = record.fields.size() == 1 && record.fields.first().isEmpty();
        if (!blank)
            records.push_back(record);
        record = CsvRecord();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        ++column;
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                    ++column;
                } else {
                    quoted = false;
                    afterQuote = true;
                }
            } else {
                field += c;
                if (c == QLatin1Char('\n')) {
                    ++line;
                    column = 0;
                }
            }
            continue;
        }
        if (c == QLatin1Char('\r') && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
            continue;
        if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            endField();
            endRecord();
            ++line;
            column = 0;
            record.line = line;
            continue;
        }
        if (c == separator) {
            endField();
            continue;
        }
        if (afterQuote)
            return csvError(path, line, column, QStringLiteral("unexpected character after a closing quote"));
        if (c == QLatin1Char('"')) {
            if (fieldStarted)
                return csvError(path, line, column, QStringLiteral("quote inside an unquoted field"));
            quoted = true;
            fieldStarted = true;
            quoteLine = line;
            quoteColumn = column;
            continue;
        }
        field += c;
        fieldStarted = true;
    }
    if (quoted)
        return csvError(path, quoteLine, quoteColumn, QStringLiteral("quoted field is never closed"));
    if (fieldStarted || !record.fields.isEmpty() || !field.isEmpty()) {
        endField();
        endRecord();
    }
    return records;
}

} // namespace saccade
