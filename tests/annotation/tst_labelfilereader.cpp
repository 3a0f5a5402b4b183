#include "core/annotation/labelfilereader.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace saccade;

class TestLabelFileReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsEveryShape_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("expected");
        const QStringList three{QStringLiteral("air drumming"), QStringLiteral("jump"),
                                QStringLiteral("run")};
        QTest::newRow("text") << QByteArray("air drumming\r\n\n  jump \nrun\n") << three;
        QTest::newRow("json list") << QByteArray(R"(["air drumming", "jump", "run"])") << three;
        QTest::newRow("id2label") << QByteArray(R"({"2": "run", "0": "air drumming", "1": "jump"})") << three;
        QTest::newRow("hf config") << QByteArray(R"({"architectures": ["TimesformerForVideoClassification"],
            "id2label": {"0": "air drumming", "1": "jump", "2": "run"}, "label2id": {"run": 2}})")
                                   << three;
        QTest::newRow("json list with a BOM")
            << QByteArray("\xEF\xBB\xBF[\"air drumming\", \"jump\", \"run\"]") << three;
        QTest::newRow("text with a BOM") << QByteArray("\xEF\xBB\xBF"
                                                       "air drumming\njump\nrun\n")
                                         << three;
        QTest::newRow("utf-8") << QByteArray("café\nnaïve\n")
                               << QStringList{QStringLiteral("café"), QStringLiteral("naïve")};
    }

    void readsEveryShape() {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, expected);
        auto names = LabelFileReader::parse(content, QStringLiteral("labels"));
        QVERIFY2(names.ok(), qPrintable(names.ok() ? QString() : names.error().toString()));
        QCOMPARE(*names, expected);
    }

    void refusesBadFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("\n\n") << QStringLiteral("no labels found");
        QTest::newRow("duplicate") << QByteArray("a\nb\na\n") << QStringLiteral("'a' appears twice");
        QTest::newRow("gap") << QByteArray(R"({"0": "a", "2": "c"})") << QStringLiteral("no class 1");
        QTest::newRow("bad key") << QByteArray(R"({"x": "a"})") << QStringLiteral("'x' is not a class id");
        QTest::newRow("malformed") << QByteArray("[\"a\",\n \"b\"")
                                   << QStringLiteral("malformed JSON at line 2");
        QTest::newRow("not strings") << QByteArray("[1, 2]") << QStringLiteral("must be strings");
    }

    void refusesBadFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        auto names = LabelFileReader::parse(content, QStringLiteral("labels.txt"));
        QVERIFY(!names.ok());
        QCOMPARE(names.error().path, QStringLiteral("labels.txt"));
        QVERIFY2(names.error().message.contains(message), qPrintable(names.error().message));
    }

    void readsFromDisk() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"id2label": {"0": "x"}})");
        file.close();
        QCOMPARE(LabelFileReader::read(path).value(), QStringList{QStringLiteral("x")});
        QCOMPARE(LabelFileReader::read(dir.filePath(QStringLiteral("none"))).error().category,
                 ErrorCategory::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestLabelFileReader)
#include "tst_labelfilereader.moc"
