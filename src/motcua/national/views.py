import json

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services


@csrf_exempt  # a machine endpoint: the province's bearer token is its credential, not a cookie
@require_POST
def receive(request):
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    province = services.province_for(token) if token else None
    if province is None:
        return JsonResponse({"error": "Sai mã xác thực của tỉnh / unknown province token"}, status=401)
    try:
        payload = json.loads(request.body)
        changed = services.receive(province, payload)
    except (ValueError, services.InvalidPayload) as error:
        return JsonResponse({"error": f"Dữ liệu không hợp lệ / invalid payload: {error}"}, status=400)
    return JsonResponse({"province": province, "code": payload["MaHoSo"], "changed": changed})
