#include "core/util/jsonfile.h"

#include "core/util/filereading.h"

#include <QJsonParseError>

#include <algorithm>

namespace saccade {

QString describeTextPosition(const QByteArray& text, qsizetype offset) {
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    // Columns count characters, not bytes, so they match what an editor shows.
    const int column = QString::fromUtf8(text.constData() + lineStart, offset - lineStart).size() + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

Result<QJsonDocument> parseJson(const QByteArray& text, const QString& path) {
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalidData(
            path, QStringLiteral("malformed JSON at %1: %2")
                      .arg(describeTextPosition(text, parseError.offset), parseError.errorString()));
    return document;
}

Result<QJsonDocument> readJsonFile(const QString& path) {
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    return parseJson(*bytes, path);
}

} // namespace saccade
