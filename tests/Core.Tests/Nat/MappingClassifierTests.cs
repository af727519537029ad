// RFC 4787 mapping behaviour inferred from what several STUN servers saw.
using System.Net;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.Stun;
using Xunit;

namespace P2PChat.Core.Tests.Nat;

public sealed class MappingClassifierTests
{
    private static IPEndPoint E(string s) => IPEndPoint.Parse(s);
    private static StunBindingResult R(string server, string? mapped) => new(E(server), mapped is null ? null : E(mapped), mapped is null ? "timeout" : null);
    private static readonly IPEndPoint[] Local = [E("192.168.1.10:5000")];

    [Fact]
    public void Nothing_answered_is_unknown() =>
        Assert.Equal(MappingBehaviour.Unknown, MappingClassifier.Classify([R("203.0.113.1:3478", null)], Local));

    [Fact]
    public void One_answer_gives_an_address_but_no_behaviour() =>
        Assert.Equal(MappingBehaviour.Undetermined, MappingClassifier.Classify([R("203.0.113.1:3478", "192.0.2.1:5000"), R("203.0.113.1:3479", null)], Local));

    [Fact]
    public void Seeing_our_own_address_means_no_NAT() =>
        Assert.Equal(MappingBehaviour.NoNat, MappingClassifier.Classify([R("203.0.113.1:3478", "192.168.1.10:5000"), R("203.0.113.1:3479", "192.168.1.10:5000")], Local));

    [Fact]
    public void The_same_mapping_for_every_server_is_endpoint_independent() =>
        Assert.Equal(MappingBehaviour.EndpointIndependent, MappingClassifier.Classify(
            [R("203.0.113.1:3478", "192.0.2.1:5000"), R("203.0.113.1:3479", "192.0.2.1:5000"), R("203.0.113.2:3478", "192.0.2.1:5000")], Local));

    [Fact]
    public void Two_ports_of_one_server_seeing_different_mappings_is_address_and_port_dependent() =>
        Assert.Equal(MappingBehaviour.AddressAndPortDependent, MappingClassifier.Classify(
            [R("203.0.113.1:3478", "192.0.2.1:40001"), R("203.0.113.1:3479", "192.0.2.1:40002")], Local));

    [Fact]
    public void Same_mapping_per_address_but_not_across_addresses_is_address_dependent() =>
        Assert.Equal(MappingBehaviour.AddressDependent, MappingClassifier.Classify(
            [R("203.0.113.1:3478", "192.0.2.1:40001"), R("203.0.113.1:3479", "192.0.2.1:40001"), R("203.0.113.2:3478", "192.0.2.1:40002")], Local));

    [Fact]
    public void Different_addresses_only_cannot_tell_address_from_address_and_port() =>
        Assert.Equal(MappingBehaviour.DestinationDependent, MappingClassifier.Classify(
            [R("203.0.113.1:3478", "192.0.2.1:40001"), R("203.0.113.2:3478", "192.0.2.1:40002")], Local));

    [Fact]
    public void IPv4_mapped_addresses_compare_equal_to_plain_ones() =>
        Assert.Equal(MappingBehaviour.EndpointIndependent, MappingClassifier.Classify(
            [R("[::ffff:203.0.113.1]:3478", "[::ffff:192.0.2.1]:5000"), R("203.0.113.1:3479", "192.0.2.1:5000")], Local));
}
