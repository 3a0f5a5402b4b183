#include "ui/keys/commandactions.h"
#include "ui/keys/keymap.h"
#include "ui/keys/keymapdialog.h"
#include "ui/settings/appsettings.h"

#include <QAction>
#include <QKeySequenceEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

using saccade::AppSettings;
using saccade::Command;
using saccade::CommandActions;
using saccade::KeyMap;
using saccade::KeyMapDialog;

Q_DECLARE_METATYPE(saccade::Command)

class KeyMapTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsFollowDesign_data() {
        QTest::addColumn<QKeySequence>("key");
        QTest::addColumn<Command>("command");
        QTest::newRow("space") << QKeySequence(Qt::Key_Space) << Command::PlayPause;
        QTest::newRow("K") << QKeySequence(Qt::Key_K) << Command::PlayPause;
        QTest::newRow("J") << QKeySequence(Qt::Key_J) << Command::ShuttleBackward;
        QTest::newRow("L") << QKeySequence(Qt::Key_L) << Command::ShuttleForward;
        QTest::newRow("comma") << QKeySequence(Qt::Key_Comma) << Command::PreviousFrame;
        QTest::newRow("right") << QKeySequence(Qt::Key_Right) << Command::NextFrame;
        QTest::newRow("shift right") << QKeySequence(Qt::SHIFT | Qt::Key_Right) << Command::ForwardOneSecond;
        QTest::newRow("home") << QKeySequence(Qt::Key_Home) << Command::GoToStart;
        QTest::newRow("[") << QKeySequence(Qt::Key_BracketLeft) << Command::SpeedDown;
        QTest::newRow("backspace") << QKeySequence(Qt::Key_Backspace) << Command::SpeedReset;
        QTest::newRow("I") << QKeySequence(Qt::Key_I) << Command::MarkIn;
        QTest::newRow("O") << QKeySequence(Qt::Key_O) << Command::MarkOut;
        QTest::newRow("enter") << QKeySequence(Qt::Key_Return) << Command::CreateSegment;
        QTest::newRow("1") << QKeySequence(Qt::Key_1) << Command::Label1;
        QTest::newRow("0") << QKeySequence(Qt::Key_0) << Command::Label10;
        QTest::newRow("alt left") << QKeySequence(Qt::ALT | Qt::Key_Left) << Command::PreviousSegment;
        QTest::newRow("A") << QKeySequence(Qt::Key_A) << Command::AcceptProposal;
        QTest::newRow("X") << QKeySequence(Qt::Key_X) << Command::RejectProposal;
        QTest::newRow("N") << QKeySequence(Qt::Key_N) << Command::NextReview;
        QTest::newRow("shift N") << QKeySequence(Qt::SHIFT | Qt::Key_N) << Command::PreviousReview;
        QTest::newRow("undo") << QKeySequence(Qt::CTRL | Qt::Key_Z) << Command::Undo;
        QTest::newRow("redo") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z) << Command::Redo;
        QTest::newRow("V") << QKeySequence(Qt::Key_V) << Command::ToggleOverlay;
        QTest::newRow("pgdn") << QKeySequence(Qt::Key_PageDown) << Command::NextLayer;
        QTest::newRow("ctrl pgup") << QKeySequence(Qt::CTRL | Qt::Key_PageUp) << Command::PreviousHead;
    }
    void defaultsFollowDesign() {
        QFETCH(QKeySequence, key);
        QFETCH(Command, command);
        KeyMap map;
        Command found;
        QVERIFY(map.commandFor(key, &found));
        QCOMPARE(found, command);
    }

    void defaultsHaveNoConflicts() {
        KeyMap map;
        for (const KeyMap::Entry& entry : KeyMap::entries()) {
            for (const QKeySequence& sequence : entry.defaults)
                QVERIFY2(map.conflicts(sequence, entry.command).isEmpty(), qPrintable(entry.id));
        }
    }

    void idsAreUnique() {
        QSet<QString> ids;
        for (const KeyMap::Entry& entry : KeyMap::entries()) {
            QVERIFY(!ids.contains(entry.id));
            ids.insert(entry.id);
        }
    }

    void keyPressTriggersActionAndRemappingMovesIt() {
        QWidget window;
        CommandActions actions(&window);
        window.resize(200, 200);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QSignalSpy commands(&actions, &CommandActions::commandTriggered);

        QTest::keyClick(&window, Qt::Key_L);
        QCOMPARE(commands.count(), 1);
        QCOMPARE(commands.takeFirst().first().value<Command>(), Command::ShuttleForward);
        QTest::keyClick(&window, Qt::Key_Period);
        QCOMPARE(commands.takeFirst().first().value<Command>(), Command::NextFrame);

        KeyMap map;
        map.setSequences(Command::ShuttleForward, {QKeySequence(Qt::Key_F7)});
        actions.applyKeyMap(map);
        QTest::keyClick(&window, Qt::Key_L);
        QCOMPARE(commands.count(), 0);
        QTest::keyClick(&window, Qt::Key_F7);
        QCOMPARE(commands.count(), 1);
        QCOMPARE(commands.takeFirst().first().value<Command>(), Command::ShuttleForward);
    }

    void overridesPersistThroughSettings() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        {
            auto settings = AppSettings::fromIniFile(path);
            KeyMap map;
            map.setSequences(Command::MarkIn, {QKeySequence(Qt::CTRL | Qt::Key_I), QKeySequence(Qt::Key_F2)});
            map.setSequences(Command::NextReview, {});
            QCOMPARE(map.overrides().size(), 2);
            settings->setKeyBindings(map.overrides());
            settings->sync();
        }
        auto settings = AppSettings::fromIniFile(path);
        KeyMap restored;
        restored.applyOverrides(settings->keyBindings());
        QCOMPARE(restored.sequences(Command::MarkIn),
                 (QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_I), QKeySequence(Qt::Key_F2)}));
        QVERIFY(restored.sequences(Command::NextReview).isEmpty());
        QVERIFY(restored.isDefault(Command::PlayPause));
    }

    void unknownIdsInSettingsAreIgnored() {
        KeyMap map;
        map.applyOverrides({{QStringLiteral("no-such-command"), {QKeySequence(Qt::Key_Q)}}});
        QCOMPARE(map, KeyMap());
    }

    void dialogEditsAndReportsConflicts() {
        KeyMap start;
        KeyMapDialog dialog(start);
        QKeySequenceEdit* markIn = dialog.editor(Command::MarkIn, 0);
        QVERIFY(markIn);
        QCOMPARE(markIn->keySequence(), QKeySequence(Qt::Key_I));
        markIn->setKeySequence(QKeySequence(Qt::Key_F9));
        QCOMPARE(dialog.keyMap().sequences(Command::MarkIn), QList<QKeySequence>{QKeySequence(Qt::Key_F9)});
        // The alternative slot of previous-frame holds Left by default; clearing it keeps the comma.
        dialog.editor(Command::PreviousFrame, 1)->clear();
        QCOMPARE(dialog.keyMap().sequences(Command::PreviousFrame),
                 QList<QKeySequence>{QKeySequence(Qt::Key_Comma)});
        const QList<Command> conflicts = [&] {
            dialog.editor(Command::MarkOut, 0)->setKeySequence(QKeySequence(Qt::Key_F9));
            return dialog.keyMap().conflicts(QKeySequence(Qt::Key_F9), Command::MarkOut);
        }();
        QCOMPARE(conflicts, QList<Command>{Command::MarkIn});
    }
};

QTEST_MAIN(KeyMapTest)
#include "tst_keymap.moc"
