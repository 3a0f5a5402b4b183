#include "core/util/allocatorreuse.h"

#include <QtTest>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace saccade;

namespace {

// Keeps the compiler from eliding an allocation whose contents are never read.
char* volatile g_escape = nullptr;

} // namespace

class TestAllocatorReuse : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void activationSizedBlocksStayInTheProcess() {
#if !defined(__GLIBC__)
        QSKIP("allocator tuning applies to glibc only");
#else
        keepFreedBlocksForReuse();
        keepFreedBlocksForReuse(); // idempotent
        // An activation-sized block, as a forward pass allocates and frees many times over. By
        // default glibc maps it afresh from the kernel (and unmaps it on free), so each use faults
        // and zeroes every page again.
        constexpr size_t kBytes = 16u * 1024 * 1024;
        const size_t mappedBefore = mallinfo2().hblkhd;
        char* block = static_cast<char*>(std::malloc(kBytes));
        QVERIFY(block);
        std::memset(block, 1, kBytes);
        g_escape = block;
        QCOMPARE(mallinfo2().hblkhd, mappedBefore); // served from the heap, not a fresh mapping
        std::free(block);
        QVERIFY(mallinfo2().fordblks >= kBytes); // kept as free heap for the next block
#endif
    }

    void keptBlocksGoBackWhenAsked() {
#if !defined(__GLIBC__)
        QSKIP("allocator tuning applies to glibc only");
#else
        keepFreedBlocksForReuse();
        constexpr size_t kBytes = 16u * 1024 * 1024;
        char* block = static_cast<char*>(std::malloc(kBytes));
        QVERIFY(block);
        std::memset(block, 1, kBytes);
        g_escape = block;
        std::free(block);
        const size_t heapBefore = mallinfo2().arena;
        const size_t freeBefore = mallinfo2().fordblks;
        QVERIFY(freeBefore >= kBytes);
        returnFreedMemory();
        // The freed block sat at the top of the heap, so the heap itself shrinks by about its size.
        QVERIFY2(heapBefore - mallinfo2().arena >= kBytes / 2,
                 qPrintable(QStringLiteral("heap %1 -> %2 bytes").arg(heapBefore).arg(mallinfo2().arena)));
#endif
    }
};

QTEST_APPLESS_MAIN(TestAllocatorReuse)
#include "tst_allocatorreuse.moc"
