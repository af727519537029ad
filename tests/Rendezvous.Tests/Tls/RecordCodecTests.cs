// The TLS 1.3 record codec and key derivation against RFC 8448's example trace, round trips and every refusal.
using System.Security.Cryptography;
using P2PChat.Rendezvous.Tls;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Tls;

public sealed class RecordCodecTests
{
    // RFC 8448 §3 (Simple 1-RTT Handshake, TLS_AES_128_GCM_SHA256): the application traffic secrets and their keys.
    private static readonly byte[] ClientSecret = Convert.FromHexString("9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
    private static readonly byte[] ServerSecret = Convert.FromHexString("a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643");

    // RFC 8448 §3: the 50 bytes 00..31 of application data each side sends, and the records they make.
    private static readonly byte[] Data = [.. Enumerable.Range(0, 50).Select(i => (byte)i)];
    private static readonly byte[] ClientRecord = Convert.FromHexString(
        "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4");
    private static readonly byte[] ServerRecord = Convert.FromHexString(
        "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a59a8fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d");

    [Fact]
    public void Derives_the_rfc8448_application_keys_and_ivs()
    {
        var (clientKey, clientIv) = TrafficKeys.Derive(TlsCipherSuite.Aes128GcmSha256, ClientSecret);
        var (serverKey, serverIv) = TrafficKeys.Derive(TlsCipherSuite.Aes128GcmSha256, ServerSecret);
        Assert.Equal("17422dda596ed5d9acd890e3c63f5051", Convert.ToHexStringLower(clientKey));
        Assert.Equal("5b78923dee08579033e523d9", Convert.ToHexStringLower(clientIv));
        Assert.Equal("9f02283b6c9c07efc26bb9f2ac92e356", Convert.ToHexStringLower(serverKey));
        Assert.Equal("cf782b88dd83549aadf1e984", Convert.ToHexStringLower(serverIv));
    }

    [Fact]
    public void Seals_the_rfc8448_records_byte_for_byte()
    {
        // The client's first application record is number 0; the server's is number 1 (its NewSessionTicket was 0).
        using var client = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
        using var server = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ServerSecret.Clone(), sequence: 1);
        var wire = new byte[RecordCodec.SealedLength(Data.Length)];
        Assert.Equal(ClientRecord.Length, client.Seal(TlsContentType.ApplicationData, Data, wire));
        Assert.Equal(ClientRecord, wire);
        server.Seal(TlsContentType.ApplicationData, Data, wire);
        Assert.Equal(ServerRecord, wire);
    }

    [Fact]
    public void Opens_the_rfc8448_records()
    {
        using var client = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
        var record = (byte[])ClientRecord.Clone();
        Assert.Equal(ClientRecord.Length, RecordCodec.CompleteLength(record));
        var (type, length) = client.Open(record);
        Assert.Equal(TlsContentType.ApplicationData, type);
        Assert.Equal(Data, record.AsSpan(RecordCodec.HeaderLength, length).ToArray());
        Assert.Equal(1UL, client.Sequence);
    }

    public static TheoryData<TlsCipherSuite, int> SuitesAndSizes()
    {
        var data = new TheoryData<TlsCipherSuite, int>();
        foreach (var suite in TlsCipherSuites.Available())
            foreach (var size in new[] { 0, 1, 1000, RecordCodec.MaxPlaintext })
                data.Add(suite, size);
        return data;
    }

    [Theory]
    [MemberData(nameof(SuitesAndSizes))]
    public void Round_trips_every_suite_and_size_including_empty(TlsCipherSuite suite, int size)
    {
        var secret = RandomNumberGenerator.GetBytes(TlsCipherSuites.SecretLength(suite));
        using var sealer = new RecordProtection(suite, (byte[])secret.Clone());
        using var opener = new RecordProtection(suite, (byte[])secret.Clone());
        var content = RandomNumberGenerator.GetBytes(size);
        for (var i = 0; i < 3; i++)   // three records: the sequence numbers must stay in step
        {
            var wire = new byte[RecordCodec.SealedLength(size)];
            sealer.Seal(TlsContentType.ApplicationData, content, wire);
            Assert.Equal(wire.Length, RecordCodec.CompleteLength(wire));
            var (type, length) = opener.Open(wire);
            Assert.Equal(TlsContentType.ApplicationData, type);
            Assert.Equal(content, wire.AsSpan(RecordCodec.HeaderLength, length).ToArray());
        }
    }

    [Fact]
    public void A_key_update_moves_both_sides_to_the_next_secret_and_sequence_zero()
    {
        var secret = RandomNumberGenerator.GetBytes(48);
        using var sealer = new RecordProtection(TlsCipherSuite.Aes256GcmSha384, (byte[])secret.Clone());
        using var opener = new RecordProtection(TlsCipherSuite.Aes256GcmSha384, (byte[])secret.Clone());
        var wire = new byte[RecordCodec.SealedLength(3)];
        sealer.Seal(TlsContentType.ApplicationData, [1, 2, 3], wire);
        opener.Open(wire);
        sealer.Update();
        opener.Update();
        Assert.Equal(0UL, sealer.Sequence);
        sealer.Seal(TlsContentType.ApplicationData, [4, 5, 6], wire);
        opener.Open(wire);
        // And the next secret is HKDF-Expand-Label(secret, "traffic upd", "", 48).
        var next = new byte[48];
        TrafficKeys.ExpandLabel(HashAlgorithmName.SHA384, secret, "traffic upd"u8, next);
        var copy = (byte[])secret.Clone();
        TrafficKeys.Next(TlsCipherSuite.Aes256GcmSha384, copy);
        Assert.Equal(next, copy);
        // A record under the old key no longer opens.
        using var old = new RecordProtection(TlsCipherSuite.Aes256GcmSha384, (byte[])secret.Clone(), sequence: 1);
        old.Seal(TlsContentType.ApplicationData, [7], wire.AsSpan(0, RecordCodec.SealedLength(1)));
        Assert.Equal(TlsAlert.BadRecordMac, Assert.Throws<TlsAlertException>(() => opener.Open(wire.AsSpan(0, RecordCodec.SealedLength(1)))).Alert);
    }

    [Fact]
    public void Refuses_a_record_whose_tag_does_not_verify()
    {
        foreach (var flip in new[] { 2, 6, ClientRecord.Length - 1 })   // the header (authenticated), the body, the tag
        {
            using var client = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
            var record = (byte[])ClientRecord.Clone();
            record[flip] ^= 0x01;
            Assert.Equal(TlsAlert.BadRecordMac, Assert.Throws<TlsAlertException>(() => client.Open(record)).Alert);
        }
        using var wrongSequence = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone(), sequence: 1);
        Assert.Equal(TlsAlert.BadRecordMac, Assert.Throws<TlsAlertException>(() => wrongSequence.Open((byte[])ClientRecord.Clone())).Alert);
        using var tooShort = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
        Assert.Equal(TlsAlert.BadRecordMac, Assert.Throws<TlsAlertException>(() => tooShort.Open((byte[])[23, 3, 3, 0, 16, .. new byte[16]])).Alert);
    }

    [Fact]
    public void Refuses_an_oversized_record_from_its_header()
    {
        var header = new byte[] { 23, 3, 3, (RecordCodec.MaxCiphertext + 1) >> 8, (RecordCodec.MaxCiphertext + 1) & 0xff };
        Assert.Equal(TlsAlert.RecordOverflow, Assert.Throws<TlsAlertException>(() => RecordCodec.CompleteLength(header)).Alert);
        var largest = new byte[] { 23, 3, 3, RecordCodec.MaxCiphertext >> 8, RecordCodec.MaxCiphertext & 0xff };
        Assert.Equal(0, RecordCodec.CompleteLength(largest));   // allowed: waits for the body
    }

    [Fact]
    public void Refuses_inner_content_over_2_to_the_14()
    {
        var inner = new byte[RecordCodec.MaxPlaintext + 2];
        inner[^1] = (byte)TlsContentType.ApplicationData;
        var record = SealRaw(inner, sequence: 0);
        using var client = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
        Assert.Equal(TlsAlert.RecordOverflow, Assert.Throws<TlsAlertException>(() => client.Open(record)).Alert);
    }

    [Fact]
    public void Refuses_an_inner_plaintext_of_zeros_only_and_strips_padding()
    {
        using (var client = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone()))
            Assert.Equal(TlsAlert.UnexpectedMessage, Assert.Throws<TlsAlertException>(() => client.Open(SealRaw(new byte[40], 0))).Alert);
        // Padding after the type is legal and removed: "hi", type 23, 30 zeros.
        using var padded = new RecordProtection(TlsCipherSuite.Aes128GcmSha256, (byte[])ClientSecret.Clone());
        var record = SealRaw([(byte)'h', (byte)'i', 23, .. new byte[30]], 0);
        var (type, length) = padded.Open(record);
        Assert.Equal((TlsContentType.ApplicationData, 2), (type, length));
        Assert.Equal("hi"u8.ToArray(), record.AsSpan(5, 2).ToArray());
    }

    [Fact]
    public void The_nonce_is_the_iv_xor_the_big_endian_sequence()
    {
        var iv = Convert.FromHexString("000102030405060708090a0b");
        var nonce = new byte[12];
        RecordCodec.Nonce(iv, 0, nonce);
        Assert.Equal(iv, nonce);
        RecordCodec.Nonce(iv, 0x0102, nonce);
        Assert.Equal("00010203040506070809" + "0b" + "09", Convert.ToHexStringLower(nonce));
    }

    /// <summary>A record with the RFC 8448 client key around an arbitrary inner plaintext (for refusals the sealer won't make).</summary>
    private static byte[] SealRaw(byte[] inner, ulong sequence)
    {
        var (key, iv) = TrafficKeys.Derive(TlsCipherSuite.Aes128GcmSha256, ClientSecret);
        var record = new byte[5 + inner.Length + 16];
        record[0] = 23; record[1] = 3; record[2] = 3;
        record[3] = (byte)((inner.Length + 16) >> 8); record[4] = (byte)(inner.Length + 16);
        var nonce = new byte[12];
        RecordCodec.Nonce(iv, sequence, nonce);
        using var aead = new AesGcm(key, 16);
        aead.Encrypt(nonce, inner, record.AsSpan(5, inner.Length), record.AsSpan(5 + inner.Length, 16), record.AsSpan(0, 5));
        return record;
    }
}
