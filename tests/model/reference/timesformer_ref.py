#!/usr/bin/env python3
"""Reference TimeSformer in plain PyTorch, written from docs/TIMESFORMER.md (the research code's layout and
parameter names), used to produce the parity fixtures of tests/model and to time the Python side of
`saccade-cli bench model`.

  timesformer_ref.py fixtures OUTDIR   regenerate tests/model/fixtures (deterministic, seed 0)
  timesformer_ref.py bench [--attention divided_space_time] [--frames 8] [--size 224] [--runs 3]
                                       ms per view of the base model, fp32, 2 threads, JSON on stdout
"""
import argparse
import io
import json
import math
import os
import struct
import sys
import time
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, dim, heads, qkv_bias=True):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.probabilities = None
        self.capture = False

    def forward(self, x):
        rows, length, dim = x.shape
        qkv = self.qkv(x).reshape(rows, length, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (q @ k.transpose(-2, -1)) * self.scale
        attn = attn.softmax(dim=-1)
        if self.capture:
            self.probabilities = attn
        x = (attn @ v).transpose(1, 2).reshape(rows, length, dim)
        return self.proj(x)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio, qkv_bias, attention_type):
        super().__init__()
        self.attention_type = attention_type
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads, qkv_bias)
        if attention_type == 'divided_space_time':
            self.temporal_norm1 = nn.LayerNorm(dim, eps=1e-6)
            self.temporal_attn = Attention(dim, heads, qkv_bias)
            self.temporal_fc = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x, B, T, W):
        if self.attention_type in ('space_only', 'joint_space_time'):
            x = x + self.attn(self.norm1(x))
            return x + self.mlp(self.norm2(x))
        num_patches = (x.size(1) - 1) // T
        H = num_patches // W
        D = x.size(2)
        # Temporal: (b h w t) rows of T tokens; token 1 + n*T + t.
        xt = x[:, 1:, :]
        xt_rows = xt.reshape(B * H * W, T, D)
        res_temporal = self.temporal_attn(self.temporal_norm1(xt_rows))
        res_temporal = res_temporal.reshape(B, H * W * T, D)
        res_temporal = self.temporal_fc(res_temporal)
        xt = x[:, 1:, :] + res_temporal
        # Spatial: the block input's cls token repeated for every frame, then (b t) rows of H*W patches.
        init_cls_token = x[:, 0, :].unsqueeze(1)
        cls_token = init_cls_token.repeat(1, T, 1).reshape(B * T, D).unsqueeze(1)
        xs = xt.reshape(B, H * W, T, D).permute(0, 2, 1, 3).reshape(B * T, H * W, D)
        xs = torch.cat((cls_token, xs), 1)
        res_spatial = self.attn(self.norm1(xs))
        cls_token = res_spatial[:, 0, :].reshape(B, T, D)
        cls_token = torch.mean(cls_token, 1, True)
        res_spatial = res_spatial[:, 1:, :].reshape(B, T, H * W, D).permute(0, 2, 1, 3).reshape(B, H * W * T, D)
        x = torch.cat((init_cls_token, xt), 1) + torch.cat((cls_token, res_spatial), 1)
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self, patch_size, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=patch_size, stride=patch_size)

    def forward(self, x):
        B, C, T, H, W = x.shape
        x = x.permute(0, 2, 1, 3, 4).reshape(B * T, C, H, W)
        x = self.proj(x)
        W = x.size(-1)
        return x.flatten(2).transpose(1, 2), T, W


class TimeSformer(nn.Module):
    def __init__(self, img_size=224, patch_size=16, num_frames=8, dim=768, depth=12, heads=12, mlp_ratio=4.0,
                 qkv_bias=True, num_classes=400, attention_type='divided_space_time'):
        super().__init__()
        self.attention_type = attention_type
        grid = img_size // patch_size
        self.patch_embed = PatchEmbed(patch_size, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, grid * grid + 1, dim))
        if attention_type != 'space_only':
            self.time_embed = nn.Parameter(torch.zeros(1, num_frames, dim))
        self.blocks = nn.ModuleList(
            [Block(dim, heads, mlp_ratio, qkv_bias, attention_type) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, num_classes)

    def set_capture(self, enabled):
        for module in self.modules():
            if isinstance(module, Attention):
                module.capture = enabled

    def forward(self, x):
        B = x.shape[0]
        x, T, W = self.patch_embed(x)
        cls_tokens = self.cls_token.expand(x.size(0), -1, -1)
        x = torch.cat((cls_tokens, x), dim=1)
        grid = int(math.sqrt(self.pos_embed.size(1) - 1))
        H = (x.size(1) - 1) // W
        if H != grid or W != grid:
            cls_pos = self.pos_embed[0, 0, :].reshape(1, 1, -1)
            other = self.pos_embed[0, 1:, :].unsqueeze(0).transpose(1, 2).reshape(1, x.size(2), grid, grid)
            other = F.interpolate(other, size=(H, W), mode='nearest').flatten(2).transpose(1, 2)
            x = x + torch.cat((cls_pos, other), 1)
        else:
            x = x + self.pos_embed
        if self.attention_type != 'space_only':
            cls_tokens = x[:B, 0, :].unsqueeze(1)
            x = x[:, 1:]
            N = x.size(1)
            x = x.reshape(B, T, N, -1).permute(0, 2, 1, 3).reshape(B * N, T, -1)
            if T != self.time_embed.size(1):
                x = x + F.interpolate(self.time_embed.transpose(1, 2), size=T, mode='nearest').transpose(1, 2)
            else:
                x = x + self.time_embed
            x = x.reshape(B, N * T, -1)
            x = torch.cat((cls_tokens, x), dim=1)
        for block in self.blocks:
            x = block(x, B, T, W)
        if self.attention_type == 'space_only':
            x = x.reshape(B, T, x.size(1), x.size(2)).mean(1)
        x = self.norm(x)
        return self.head(x[:, 0])

    def attention_maps(self):
        maps = {}
        for index, block in enumerate(self.blocks):
            kind = {'divided_space_time': 'space', 'space_only': 'space', 'joint_space_time': 'joint'}
            maps['%s_L%d' % (kind[block.attention_type], index)] = block.attn.probabilities
            if block.attention_type == 'divided_space_time':
                maps['time_L%d' % index] = block.temporal_attn.probabilities
        return maps


HF_BLOCK = [('norm1', 'layernorm_before'), ('attn.qkv', 'attention.attention.qkv'),
            ('attn.proj', 'attention.output.dense'), ('temporal_norm1', 'temporal_layernorm'),
            ('temporal_attn.qkv', 'temporal_attention.attention.qkv'),
            ('temporal_attn.proj', 'temporal_attention.output.dense'), ('temporal_fc', 'temporal_dense'),
            ('norm2', 'layernorm_after'), ('mlp.fc1', 'intermediate.dense'), ('mlp.fc2', 'output.dense')]
HF_TOP = {'cls_token': 'timesformer.embeddings.cls_token', 'pos_embed': 'timesformer.embeddings.position_embeddings',
          'time_embed': 'timesformer.embeddings.time_embeddings',
          'patch_embed.proj.weight': 'timesformer.embeddings.patch_embeddings.projection.weight',
          'patch_embed.proj.bias': 'timesformer.embeddings.patch_embeddings.projection.bias',
          'norm.weight': 'timesformer.layernorm.weight', 'norm.bias': 'timesformer.layernorm.bias',
          'head.weight': 'classifier.weight', 'head.bias': 'classifier.bias'}


def hf_name(name):
    if name in HF_TOP:
        return HF_TOP[name]
    _, index, rest = name.split('.', 2)
    module, parameter = rest.rsplit('.', 1)
    return 'timesformer.encoder.layer.%s.%s.%s' % (index, dict(HF_BLOCK)[module], parameter)


def write_safetensors(path, tensors):
    header = {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().to(torch.float32).numpy().astype('<f4').tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(tensor.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def randomise(model, generator):
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            scale = 1.0 if 'norm' in name and name.endswith('weight') else 0.0
            parameter.copy_(scale + 0.3 * torch.randn(parameter.shape, generator=generator))


def research_cfg(config):
    return ('DATA:\n  MEAN: [0.45, 0.45, 0.45]\n  NUM_FRAMES: %d\n  SAMPLING_RATE: 4\n  STD: [0.225, 0.225, 0.225]\n'
            '  TRAIN_CROP_SIZE: %d\nMODEL:\n  ARCH: vit\n  MODEL_NAME: vit_base_patch16_224\n  NUM_CLASSES: %d\n'
            'TIMESFORMER:\n  ATTENTION_TYPE: %s\n  PRETRAINED_MODEL: \'\'\nTRAIN:\n  DATASET: kinetics\n'
            % (config['num_frames'], config['img_size'], config['num_classes'], config['attention_type']))


def save_research(path, model, config):
    state = {'model.' + k: v for k, v in model.state_dict().items()}
    # A realistic optimizer_state: AdamW after one step on the head only (keeps the file small).
    optimizer = torch.optim.AdamW([model.head.weight, model.head.bias], lr=1e-3)
    model.head.weight.grad = torch.ones_like(model.head.weight)
    model.head.bias.grad = torch.ones_like(model.head.bias)
    saved_head = (model.head.weight.detach().clone(), model.head.bias.detach().clone())
    optimizer.step()
    with torch.no_grad():
        model.head.weight.copy_(saved_head[0])
        model.head.bias.copy_(saved_head[1])
    torch.save({'epoch': 7, 'model_state': state, 'optimizer_state': optimizer.state_dict(),
                'cfg': research_cfg(config)}, path)


def save_hf(directory, model, config, weights):
    os.makedirs(directory, exist_ok=True)
    hf = {'architectures': ['TimesformerForVideoClassification'], 'model_type': 'timesformer',
          'image_size': config['img_size'], 'patch_size': config['patch_size'], 'num_channels': 3,
          'num_frames': config['num_frames'], 'hidden_size': config['dim'], 'num_hidden_layers': config['depth'],
          'num_attention_heads': config['heads'], 'intermediate_size': config['dim'] * 4, 'hidden_act': 'gelu',
          'layer_norm_eps': 1e-6, 'qkv_bias': True, 'attention_type': config['attention_type'],
          'id2label': {str(i): 'action %d' % i for i in range(config['num_classes'])}}
    with open(os.path.join(directory, 'config.json'), 'w') as f:
        json.dump(hf, f, indent=2)
    with open(os.path.join(directory, 'preprocessor_config.json'), 'w') as f:
        json.dump({'image_mean': [0.45] * 3, 'image_std': [0.225] * 3, 'size': {'shortest_edge': config['img_size']},
                   'crop_size': {'height': config['img_size'], 'width': config['img_size']}}, f, indent=2)
    state = {hf_name(k): v for k, v in model.state_dict().items()}
    if weights == 'safetensors':
        write_safetensors(os.path.join(directory, 'model.safetensors'), state)
    else:
        torch.save(state, os.path.join(directory, 'pytorch_model.bin'))


def write_evil(path, pickle_bytes):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as archive:
        archive.writestr('evil/data.pkl', pickle_bytes)
        archive.writestr('evil/version', '3\n')


def tiny(attention_type, heads=4, depth=2):
    return {'img_size': 32, 'patch_size': 8, 'num_frames': 4, 'dim': 32, 'depth': depth, 'heads': heads,
            'num_classes': 5, 'attention_type': attention_type}


def build(config):
    return TimeSformer(img_size=config['img_size'], patch_size=config['patch_size'], num_frames=config['num_frames'],
                       dim=config['dim'], depth=config['depth'], heads=config['heads'],
                       num_classes=config['num_classes'], attention_type=config['attention_type'])


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(0)
    video = torch.randn(2, 3, 4, 32, 32, generator=generator)
    resized = torch.randn(1, 3, 6, 40, 24, generator=generator)
    np.save(os.path.join(out, 'input.npy'), video.numpy())
    np.save(os.path.join(out, 'input_resized.npy'), resized.numpy())
    summary = {}
    for attention_type, stem in (('divided_space_time', 'divided'), ('joint_space_time', 'joint'),
                                 ('space_only', 'space_only')):
        config = tiny(attention_type)
        model = build(config).eval()
        randomise(model, generator)
        save_research(os.path.join(out, stem + '.pyth'), model, config)
        with torch.no_grad():
            model.set_capture(True)
            logits = model(video)
            np.save(os.path.join(out, stem + '_logits.npy'), logits.numpy())
            for name, value in model.attention_maps().items():
                # Joint maps are large: the first layer is enough to pin the token order.
                if name.startswith('joint') and not name.endswith('_L0'):
                    continue
                np.save(os.path.join(out, '%s_%s.npy' % (stem, name)), value.numpy())
            model.set_capture(False)
        summary[stem] = logits.flatten()[:3].tolist()
        if stem == 'divided':
            save_hf(os.path.join(out, 'divided_hf_safetensors'), model, config, 'safetensors')
            save_hf(os.path.join(out, 'divided_hf_bin'), model, config, 'bin')
            with torch.no_grad():
                np.save(os.path.join(out, 'divided_resized_logits.npy'), model(resized).numpy())
    # A research checkpoint whose middle block is missing.
    small = tiny('divided_space_time', heads=1, depth=3)
    small.update({'dim': 8, 'num_classes': 2})
    model = build(small)
    state = {'model.' + k: v for k, v in model.state_dict().items() if not k.startswith('blocks.1.')}
    torch.save({'epoch': 1, 'model_state': state, 'cfg': research_cfg(small)}, os.path.join(out, 'missing_block.pyth'))
    # Storages of several dtypes and a strided view: values k/8 are exact in every format.
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8
    torch.save({'f32': base, 'f16': base.half(), 'bf16': base.bfloat16(), 'f64': base.double(),
                'transposed': base.t(), 'offset': base[1:], 'int': torch.arange(5)},
               os.path.join(out, 'dtypes.pt'))
    # Checkpoints that try to run code when unpickled: cos.system / builtins.eval with an argument.
    write_evil(os.path.join(out, 'evil_os_system.pth'), b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    write_evil(os.path.join(out, 'evil_eval.pth'),
               b"\x80\x02cbuiltins\neval\nq\x00X\x0b\x00\x00\x00print(1+1)q\x01\x85q\x02Rq\x03.")
    print(json.dumps(summary))


def bench(args):
    torch.set_num_threads(args.threads)
    config = {'img_size': 224, 'patch_size': 16, 'num_frames': args.frames, 'dim': 768, 'depth': args.depth,
              'heads': 12, 'num_classes': 400, 'attention_type': args.attention}
    model = build(config).eval()
    video = torch.randn(1, 3, args.frames, args.size, args.size)
    times = []
    cpu_times = []
    with torch.no_grad():
        for run in range(args.warmup + args.runs):
            start = time.perf_counter()
            cpu_start = time.process_time()
            model(video)
            if run >= args.warmup:
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.process_time() - cpu_start) * 1000)
    times.sort()
    cpu_times.sort()
    print(json.dumps({'implementation': 'python', 'attention': args.attention, 'threads': torch.get_num_threads(),
                      'ms_per_view': times[len(times) // 2], 'ms_per_view_best': times[0],
                      'cpu_ms_per_view': cpu_times[len(cpu_times) // 2], 'runs': args.runs,
                      'depth': args.depth}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest='command', required=True)
    p = sub.add_parser('fixtures')
    p.add_argument('out')
    p = sub.add_parser('bench')
    p.add_argument('--attention', default='divided_space_time')
    p.add_argument('--frames', type=int, default=8)
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--warmup', type=int, default=1)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--depth', type=int, default=12)
    args = parser.parse_args()
    if args.command == 'fixtures':
        fixtures(args.out)
    else:
        bench(args)


if __name__ == '__main__':
    main()
