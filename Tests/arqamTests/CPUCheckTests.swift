@testable import arqam
import Testing

/// The release build's AVX2/FMA requirement is named before anything runs.
@Suite struct CPUCheckTests {
    /// The flags of a Celeron J4125 (Goldmont Plus, 2019): SSE4.2, no AVX at all.
    static let celeron = """
        processor\t: 0
        model name\t: Intel(R) Celeron(R) J4125 CPU @ 2.00GHz
        flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx est tm2 ssse3 sdbg cx16 xtpr pdcm sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave rdrand lahf_lm 3dnowprefetch cpuid_fault cat_l2 pti ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid ept_ad fsgsbase tsc_adjust sgx smep erms mpx rdt_a rdseed smap clflushopt intel_pt sha_ni xsaveopt xsavec xgetbv1 xsaves dtherm ida arat pln pts umip rdpid sgx_lc md_clear arch_capabilities

        """

    @Test func aCPUWithoutAVXLacksBoth() {
        #expect(CPUCheck.missingFeatures(cpuinfo: Self.celeron) == ["avx2", "fma"])
        let message = CPUCheck.message(missing: ["avx2", "fma"])
        #expect(message.contains("lacks avx2 and fma") && message.contains("ARQAM_PORTABLE=1 swift build -c release"))
    }

    @Test func eachMissingFeatureIsNamedAlone() {
        let withFMA = Self.celeron.replacingOccurrences(of: " aes ", with: " aes fma ")
        #expect(CPUCheck.missingFeatures(cpuinfo: withFMA) == ["avx2"])
        let withBoth = withFMA.replacingOccurrences(of: " aes ", with: " aes avx avx2 ")
        #expect(CPUCheck.missingFeatures(cpuinfo: withBoth).isEmpty)
        // A flag that merely starts like one is not it.
        let lookalike = Self.celeron.replacingOccurrences(of: " aes ", with: " aes avx2_vnni fma4 ")
        #expect(CPUCheck.missingFeatures(cpuinfo: lookalike) == ["avx2", "fma"])
    }

    @Test func withoutAFlagsLineThereIsNothingToSay() {
        #expect(CPUCheck.missingFeatures(cpuinfo: "processor\t: 0\nFeatures\t: fp asimd evtstrm\n").isEmpty)
        #expect(CPUCheck.missingFeatures(cpuinfo: "").isEmpty)
    }
}
