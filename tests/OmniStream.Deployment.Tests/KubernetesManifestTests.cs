using OmniStream.Testing;
using YamlDotNet.RepresentationModel;

namespace OmniStream.Deployment.Tests;

/// <summary>The Kubernetes manifests carry the worker's shipped definitions, as they are (schemas are checked by tools/k8s-validate in CI).</summary>
public class KubernetesManifestTests
{
    [TestCase("policies.yaml")]
    [TestCase("segments.yaml")]
    public void The_definitions_config_map_holds_the_shipped_file(string file)
    {
        var manifest = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(Repository.Root, "deploy/k8s/definitions.yaml"))))
        {
            manifest.Load(reader);
        }
        var data = (YamlMappingNode)((YamlMappingNode)manifest.Documents[0].RootNode).Children[new YamlScalarNode("data")];
        var inConfigMap = ((YamlScalarNode)data.Children[new YamlScalarNode(file)]).Value;

        Assert.That(inConfigMap, Is.EqualTo(File.ReadAllText(Path.Combine(Repository.Root, "services/OmniStream.Worker", file))),
            $"deploy/k8s/definitions.yaml differs from services/OmniStream.Worker/{file}: copy it again");
    }
}
