#!/usr/bin/env python3
"""The resources a stack of template.yaml would have: the template through the SAM transform (AWS's own
aws-sam-translator, as CloudFormation runs it; it comes with cfn-lint, which moto[server] depends on), then
CloudFormation's own work for the given parameters: Conditions evaluated (a resource or output whose condition is false
is left out, Fn::If takes its branch, AWS::NoValue removes its property or list item) and parameters substituted for
their Refs and in Fn::Sub. Resource Refs, Fn::GetAtt and Fn::Sub of resources stay as written: they only exist once
deployed.

Usage: deployed_template.py TEMPLATE [Name=Value ...]  -> the template as JSON on standard output.
"""
import json
import os
import re
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

PSEUDO = {
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "zoom-meeting-scheduler",
}
NO_VALUE = object()
# The translator asks a boto3 session for the Region even when it is given: the machine's AWS configuration stays out.
os.environ["AWS_DEFAULT_REGION"] = PSEUDO["AWS::Region"]


class NoManagedPolicyLookups:
    """The template names no managed policy by name, so the translator never needs IAM's list of them."""

    def load(self):
        return {}


def main(path, assignments):
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    given = dict(a.split("=", 1) for a in assignments)
    # As `sam package` does before the transform: local code becomes an S3 object.
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://deployment-bucket/function.zip"
    parameters = {name: given.pop(name, spec.get("Default"))
                  for name, spec in template.get("Parameters", {}).items()}
    if given:
        raise SystemExit(f"no such parameters: {sorted(given)}")
    missing = sorted(name for name, value in parameters.items() if value is None)
    if missing:
        raise SystemExit(f"parameters without a value: {missing}")
    parameters = {name: str(value) for name, value in parameters.items()}
    transformed = transform(template, {**parameters, **PSEUDO}, NoManagedPolicyLookups())
    print(json.dumps(Stack(transformed, parameters).deployed(), indent=1, sort_keys=True))


class Stack:
    def __init__(self, template, parameters):
        self.template = template
        self.values = {**parameters, **PSEUDO}
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = self.evaluate(self.template["Conditions"][name])
        return self.conditions[name]

    def evaluate(self, value):
        """A condition's value: only what Conditions may hold (parameters, pseudo parameters, the Fn:: it allows)."""
        if isinstance(value, dict) and len(value) == 1:
            (function, argument), = value.items()
            if function == "Ref":
                return self.values[argument]
            if function == "Condition":
                return self.condition(argument)
            if function == "Fn::Equals":
                return str(self.evaluate(argument[0])) == str(self.evaluate(argument[1]))
            if function == "Fn::Not":
                return not self.evaluate(argument[0])
            if function == "Fn::And":
                return all(self.evaluate(a) for a in argument)
            if function == "Fn::Or":
                return any(self.evaluate(a) for a in argument)
            if function == "Fn::Join":
                return argument[0].join(str(self.evaluate(a)) for a in self.evaluate(argument[1]))
            if function == "Fn::Split":
                return str(self.evaluate(argument[1])).split(argument[0])
            if function == "Fn::Select":
                return self.evaluate(argument[1])[int(self.evaluate(argument[0]))]
            raise SystemExit(f"not evaluated in a condition: {function}")
        if isinstance(value, list):
            return [self.evaluate(v) for v in value]
        return value

    def resolve(self, value):
        """A property: Fn::If and parameter Refs resolved; everything about resources left as written."""
        if isinstance(value, dict):
            if len(value) == 1:
                (function, argument), = value.items()
                if function == "Fn::If":
                    return self.resolve(argument[1] if self.condition(argument[0]) else argument[2])
                if function == "Ref" and argument == "AWS::NoValue":
                    return NO_VALUE
                if function == "Ref" and argument in self.values:
                    return self.values[argument]
                if function == "Fn::Sub" and isinstance(argument, str):
                    names = re.findall(r"\$\{([^}!]+)}", argument)
                    if all(name in self.values for name in names):
                        return re.sub(r"\$\{([^}!]+)}", lambda m: self.values[m.group(1)], argument)
            resolved = {k: self.resolve(v) for k, v in value.items()}
            return {k: v for k, v in resolved.items() if v is not NO_VALUE}
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]
        return value

    def deployed(self):
        kept = {}
        for section in ("Resources", "Outputs"):
            kept[section] = {name: self.resolve(body) for name, body in self.template.get(section, {}).items()
                             if "Condition" not in body or self.condition(body["Condition"])}
        kept["Parameters"] = {name: self.values[name] for name in self.template.get("Parameters", {})}
        return kept


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
