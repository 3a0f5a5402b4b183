#include "core/util/datapaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace saccade {

QString dataDirectory() {
    const QString fromEnvironment = qEnvironmentVariable("SACCADE_DATA_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    if (QCoreApplication::instance())
        return dataDirectoryFor(QCoreApplication::applicationDirPath());
    return QStringLiteral(SACCADE_SOURCE_RESOURCES_DIR);
}

QString dataDirectoryFor(const QString& programDirectory) {
    const QString installed = QDir::cleanPath(
        QDir(programDirectory).absoluteFilePath(QStringLiteral("../" SACCADE_INSTALLED_DATA_SUBDIR)));
    if (QFileInfo(installed).isDir())
        return installed;
    const QString sourceResources = QStringLiteral(SACCADE_SOURCE_RESOURCES_DIR);
    if (QFileInfo(sourceResources).isDir())
        return sourceResources;
    return installed;
}

QString dataFile(const QString& relativePath) {
    return QDir(dataDirectory()).filePath(relativePath);
}

QString cacheDirectory(const QString& subfolder) {
    QString base = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation);
    if (base.isEmpty())
        base = QDir::tempPath();
    const QString path = QDir(base).filePath(QStringLiteral("saccade/") + subfolder);
    QDir().mkpath(path);
    return path;
}

} // namespace saccade
