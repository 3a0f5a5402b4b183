#pragma once

#include "core/util/result.h"

#include <QJsonDocument>

namespace saccade {

/// Parses JSON text; a syntax error names `path`, the line and the column (1-based) and the problem.
Result<QJsonDocument> parseJson(const QByteArray& text, const QString& path);

/// Reads and parses a JSON file (errors as in parseJson(), plus not found / unreadable).
Result<QJsonDocument> readJsonFile(const QString& path);

/// 1-based line and column of a byte offset in `text`, as "line L, column C".
QString describeTextPosition(const QByteArray& text, qsizetype offset);

} // namespace saccade
