#include "core/model/cpufeatures.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

namespace saccade {

CpuFeatures CpuFeatures::fromCpuinfo(const QString& cpuinfo) {
    CpuFeatures features;
    const QRegularExpression flagsLine(QStringLiteral("^flags\\s*:(.*)$"),
                                       QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = flagsLine.match(cpuinfo);
    if (!match.hasMatch())
        return features;
    const QStringList flags = match.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    features.avx2 = flags.contains(QLatin1String("avx2"));
    features.avx512f = flags.contains(QLatin1String("avx512f"));
    features.avx512bf16 = flags.contains(QLatin1String("avx512_bf16"));
    features.amxBf16 = flags.contains(QLatin1String("amx_bf16"));
    return features;
}

CpuFeatures CpuFeatures::detect() {
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return fromCpuinfo(QString::fromLatin1(file.readAll()));
}

QString CpuFeatures::summary() const {
    auto yesNo = [](bool value) {
        return value ? QStringLiteral("yes") : QStringLiteral("no");
    };
    return QStringLiteral("avx2 %1, avx512f %2, avx512_bf16 %3, amx_bf16 %4")
        .arg(yesNo(avx2), yesNo(avx512f), yesNo(avx512bf16), yesNo(amxBf16));
}

} // namespace saccade
